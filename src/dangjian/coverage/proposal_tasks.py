"""Background job of the joint-build planner: a run over the whole district."""

from django_tasks import task


@task()
def plan_joint_builds(proposal_pk: int) -> None:
    from dangjian.coverage.models import JointBuildProposal
    from dangjian.coverage.proposals import run_proposal

    proposal = JointBuildProposal.objects.select_related("created_by").get(pk=proposal_pk)
    if proposal.status == JointBuildProposal.Status.QUEUED:  # a retried task does not plan twice
        run_proposal(proposal)
