"""The Job node: long work started by a mutation, with its progress and outcome."""

from __future__ import annotations

from typing import Any

import graphene
from graphene import relay

from procurement.enums import JobState
from procurement.models import Job as JobModel
from schema.core.describe import enum_description
from schema.core.ids import parse_global_id
from schema.core.scalars import JSON
from schema.jobs.loaders import JobByIdLoader

JobStateEnum = graphene.Enum.from_enum(
    JobState,
    name="JobState",
    description=enum_description(
        JobState.__doc__ or "",
        QUEUED="Waiting for a worker (again after a failed attempt that may be retried)",
        RUNNING="A worker is running it",
        SUCCEEDED="Finished; see outcome",
        FAILED="Failed with no retries left; see error",
    ),
)


class JobProgress(graphene.ObjectType):
    """How far a job got"""

    done = graphene.Int(required=True, description="Units of work done")
    total = graphene.Int(description="Unknown until the job has counted its work")


class Job(graphene.ObjectType):
    """Work that runs after the request that asked for it (rescreening after a rule, list or
    advisory change). Poll it until ``state`` is SUCCEEDED or FAILED."""

    class Meta:
        interfaces = (relay.Node,)

    kind = graphene.String(required=True, description="e.g. screening.rescreen_active")
    state = graphene.Field(JobStateEnum, required=True, description="Where it stands")
    progress = graphene.Field(JobProgress, required=True, description="How far it got")
    outcome = graphene.Field(JSON, description="The job's summary once it SUCCEEDED")
    error = graphene.String(description="The last attempt's error")
    attempts = graphene.Int(required=True, description="Attempts made so far")
    max_attempts = graphene.Int(required=True, description="Attempts allowed before it FAILED")
    requested_by = graphene.String(required=True, description="Who asked for it")
    created_at = graphene.DateTime(required=True, description="When it was queued")
    started_at = graphene.DateTime(description="When the last attempt started")
    finished_at = graphene.DateTime(description="When it SUCCEEDED or FAILED")
    next_attempt_at = graphene.DateTime(description="When a QUEUED job may run next")

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, JobModel)

    @staticmethod
    def resolve_progress(root: JobModel, _info: Any) -> JobProgress:
        return JobProgress(done=root.progress_done, total=root.progress_total)

    @staticmethod
    def resolve_requested_by(root: JobModel, _info: Any) -> str:
        return root.actor_name

    @staticmethod
    def resolve_next_attempt_at(root: JobModel, _info: Any) -> Any:
        return root.run_after if root.state is JobState.QUEUED else None


class JobQueries(graphene.ObjectType):
    job = graphene.Field(
        Job,
        id=graphene.ID(required=True, description="The Job's global ID"),
        description="One background job",
    )

    @staticmethod
    async def resolve_job(_root: Any, info: Any, id: str) -> JobModel | None:
        return await JobByIdLoader(info).load(parse_global_id(id, "Job", "id"))
