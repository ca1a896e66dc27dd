"""Contract wording for stored codes: purchase categories, countries, contact roles (zh and en).

A code without a label here is shown as the code itself, which is correct if not pretty; the
legal team can always override the rendered facts.
"""

from __future__ import annotations

from collections.abc import Mapping

from babel import Locale

from procurement.agreements.chinese import has_chinese
from procurement.agreements.formatting import Language
from procurement.enums import PurchaseCategory

C = PurchaseCategory
# Review Measures Art. 21 names, in the official Chinese and in English.
CATEGORY_LABELS: Mapping[PurchaseCategory, tuple[str, str]] = {
    C.CORE_NETWORK_EQUIPMENT: ("核心网络设备", "Core network equipment"),
    C.IMPORTANT_TELECOM_PRODUCT: ("重要通信产品", "Important telecommunications product"),
    C.HIGH_PERFORMANCE_COMPUTER_SERVER: (
        "高性能计算机和服务器",
        "High-performance computers and servers",
    ),
    C.MASS_STORAGE_DEVICE: ("大容量存储设备", "Mass storage device"),
    C.LARGE_DATABASE_APPLICATION_SOFTWARE: (
        "大型数据库和应用软件",
        "Large database and application software",
    ),
    C.NETWORK_SECURITY_EQUIPMENT: ("网络安全设备", "Network security equipment"),
    C.CLOUD_COMPUTING_SERVICE: ("云计算服务", "Cloud computing service"),
    C.OTHER_IMPORTANT_NETWORK_PRODUCT_SERVICE: (
        "其他对关键信息基础设施安全、网络安全和数据安全有重要影响的网络产品和服务",
        "Other network product or service with an important impact on CII, network and data "
        "security",
    ),
    # Outside the Art. 21 list, but still a network product or service under Art. 20.
    C.OUTSIDE_SCOPE: ("其他网络产品或服务", "Other network product or service"),
    # Never in an agreement (generation refuses it); listed so every category has a label.
    C.NOT_NETWORK_PRODUCT: ("非网络产品或服务", "Not a network product or service"),
}

COUNTRY_NAMES: Mapping[str, tuple[str, str]] = {
    "CN": ("中国", "China"),
    "HK": ("中国香港", "Hong Kong, China"),
    "MO": ("中国澳门", "Macao, China"),
    "TW": ("中国台湾", "Taiwan, China"),
    "US": ("美国", "United States"),
    "DE": ("德国", "Germany"),
    "FR": ("法国", "France"),
    "GB": ("英国", "United Kingdom"),
    "NL": ("荷兰", "Netherlands"),
    "SE": ("瑞典", "Sweden"),
    "FI": ("芬兰", "Finland"),
    "JP": ("日本", "Japan"),
    "KR": ("韩国", "Republic of Korea"),
    "SG": ("新加坡", "Singapore"),
    "IL": ("以色列", "Israel"),
    "IN": ("印度", "India"),
    "RU": ("俄罗斯", "Russia"),
    "CA": ("加拿大", "Canada"),
    "AU": ("澳大利亚", "Australia"),
}


def category_code(category: PurchaseCategory) -> str:
    return category.value.lower().replace("_", "-")


def country_name(code: str, language: Language) -> str:
    """The name in the contract's language; CLDR's (via Babel) for codes not listed above, so a
    Chinese agreement never shows a bare code such as VN."""
    names = COUNTRY_NAMES.get(code.upper())
    if names is not None:
        return names[0] if language == "zh" else names[1]
    locale = _LOCALES[language]
    territories: Mapping[str, str] = locale.territories
    return territories.get(code.upper(), code.upper())


_LOCALES = {"zh": Locale.parse("zh_Hans_CN"), "en": Locale.parse("en")}


def operator_contact_role(position: str | None, language: Language) -> str:
    """The person in charge's role; a position recorded in English only is left out of the
    Chinese text (the role says what the agreement needs)."""
    if language == "zh":
        if position and has_chinese(position):
            return f"甲方 {position}"
        return "甲方直接负责的主管人员"
    return f"Operator, {position}" if position else "Operator, person in charge"


def provider_contact_role(language: Language) -> str:
    return "乙方安全联络人" if language == "zh" else "Provider, security contact"
