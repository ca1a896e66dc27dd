"""Notifications: telling people about deadlines, case changes, SBOMs, advisories, obligations and
agreements by email, a signed JSON webhook, or the group robots of WeCom, DingTalk and Feishu.

A change writes outbox rows in its own transaction; delivery happens afterwards and never blocks
or fails the change. ``message`` holds the channel-neutral notice; ``channels`` turns a notice
into what each channel expects and sends it.
"""
