"""``GET /api/health``: a liveness check for load balancers and monitoring (no sign-in).

It answers from the web process alone, without touching the database, so it says whether the
application server is up and serving; it is also the trivial endpoint the station benchmark
compares the nearest-station search with (benchmarks/stations_bench.py).
"""

from ninja import Router, Schema

router = Router(tags=["health"], auth=None)


class HealthOut(Schema):
    status: str


@router.get("", response=HealthOut, summary="Liveness check")
def health(request):
    return {"status": "ok"}
