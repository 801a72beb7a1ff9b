"""Instances for the planner benchmark (planner_bench.py): small clustered streets for the quality
figures, and the demo district's candidates for the speed figures.

Small instances ("quality"): one street's candidates, 20 to 60 units, clustered the way outlets
cluster in a city: a few centres (business districts, delivery-station strips, industrial parks)
with Gaussian clusters of 80 to 600 m around them in a street of 1.5 to 4 km, plus a tenth
scattered over the street; every third instance instead places its units like the demo generator
(uniform within about 550 m of one to three community centres of a demo street: denser). Full
members per unit 0, 1 or 2, with shares drawn per instance (0: 35-70 %, 2: 3-25 %), from streets
where members are scarce to streets where they are plenty.

District ("speed"): the candidates of the large demo (``load_demo --size large``: 50,000 units),
placed as ``core/demo/generate.py`` places units: a street or town by the demo's weights
(``data.TOWNSHIPS``), one of its communities at random, then uniform within ±0.005° (streets) or
±0.01° (towns) of the community's centre; industries by ``data.INDUSTRY_WEIGHTS``, kinds and key
areas as the generator draws them; 1 % without a street. Full members: the generator spreads
1,000,000 workers over the units by weight (outlets 10, delivery stations 16, head companies 4,
branches 6, chain stores 5, franchise stores 6, times 0.4 for livestreaming, 1.3 for
ride-hailing, 0.5 for other) and 4 % of workers are full members, so a unit's full members are
Poisson with mean 0.04 x workers. Some units with fewer than 3 are covered by an organization
already and are not candidates: ``COVERED_SHARE``, set so that 59 % of the units are candidates
with 50 % / 34 % / 16 % of them holding 0 / 1 / 2 full members, as measured by ``load_candidates``
on a 3,000-unit demo load with the same 20 workers per unit as the large size.
"""

import math
import random

from dangjian.core.demo import data
from dangjian.coverage.planner import Candidate

INDUSTRIES = [name for name, _ in data.INDUSTRY_WEIGHTS]
INDUSTRY_WEIGHTS = [weight for _, weight in data.INDUSTRY_WEIGHTS]
KM_PER_DEGREE_LAT = 110.574
# Units with fewer than 3 full members already covered by an organization: set so that, as in a
# 3,000-unit demo load (20 workers per unit, like the large size), 59 % of the units are candidates.
COVERED_SHARE = 0.365


def _key_area(rng: random.Random, kind: str, industry: str) -> str:
    """As ``_Generator.key_area_for`` in core/demo/generate.py."""
    r = rng.random()
    if kind == "outlet":
        if industry == "express":
            return "delivery_station" if r < 0.4 else ""
        if industry == "food_delivery":
            return "delivery_station" if r < 0.7 else ""
        if industry == "freight":
            return "industrial_park" if r < 0.3 else ""
        if industry == "livestreaming":
            return "office_building" if r < 0.4 else "industrial_park" if r < 0.6 else ""
        return "office_building" if r < 0.1 else ""
    if industry in ("freight", "livestreaming"):
        return "office_building" if r < 0.15 else "industrial_park" if r < 0.35 else ""
    return "office_building" if r < 0.22 else "industrial_park" if r < 0.3 else ""


def _members(rng: random.Random, share0: float, share2: float) -> int:
    r = rng.random()
    return 0 if r < share0 else 2 if r < share0 + share2 else 1


def quality_instance(seed: int) -> list[Candidate]:
    """One street's candidates (see the module's docstring)."""
    rng = random.Random(seed)
    n = rng.randint(20, 60)
    share0, share2 = rng.uniform(0.35, 0.7), rng.uniform(0.03, 0.25)
    township = data.TOWNSHIPS[rng.randrange(6)]  # the six streets
    lat0, lng0 = township.latitude, township.longitude
    km_lng = KM_PER_DEGREE_LAT * math.cos(math.radians(lat0))
    units = []
    if seed % 3 == 2:  # demo-like: uniform squares around community centres
        centres = rng.sample(township.communities, min(len(township.communities), rng.randint(1, 3)))
        for _ in range(n):
            _, clat, clng = rng.choice(centres)
            units.append((clat + rng.uniform(-0.005, 0.005), clng + rng.uniform(-0.005, 0.005)))
    else:
        box = rng.uniform(1.5, 4.0)
        centres = [
            (rng.uniform(0, box), rng.uniform(0, box), rng.uniform(0.08, 0.6), rng.uniform(0.5, 2.0))
            for _ in range(rng.randint(1, 5))
        ]
        for _ in range(n):
            if rng.random() < 0.1:
                x, y = rng.uniform(0, box), rng.uniform(0, box)
            else:
                cx, cy, sigma, _ = rng.choices(centres, [c[3] for c in centres])[0]
                x, y = rng.gauss(cx, sigma), rng.gauss(cy, sigma)
            units.append((lat0 + y / KM_PER_DEGREE_LAT, lng0 + x / km_lng))
    candidates = []
    for i, (lat, lng) in enumerate(units):
        industry = rng.choices(INDUSTRIES, INDUSTRY_WEIGHTS)[0]
        kind = "outlet" if rng.random() < 0.77 else "branch"
        candidates.append(
            Candidate(
                id=seed * 1000 + i,
                lat=round(lat, 6),
                lng=round(lng, 6),
                full_members=_members(rng, share0, share2),
                street_id=1,
                key_area=_key_area(rng, kind, industry),
                industry=industry,
            )
        )
    return candidates


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def district_candidates(seed: int = 2026, units: int = 50_000, workers: int = 1_000_000) -> list[Candidate]:
    """The large demo's candidates, placed as the demo generator places units."""
    rng = random.Random(seed)
    weights = [t.weight for t in data.TOWNSHIPS]
    drawn = []
    for _ in range(units):
        t = rng.choices(range(len(data.TOWNSHIPS)), weights)[0]
        township = data.TOWNSHIPS[t]
        _, clat, clng = rng.choice(township.communities)
        spread = 0.005 if township.kind == "street" else 0.01
        industry = rng.choices(INDUSTRIES, INDUSTRY_WEIGHTS)[0]
        r = rng.random()
        kind = (
            "head"
            if r < 0.04
            else "branch"
            if r < 0.11
            else "chain"
            if r < 0.17
            else "franchise"
            if r < 0.23
            else "outlet"
        )
        key_area = _key_area(rng, kind, industry)
        weight = {"head": 4.0, "branch": 6.0, "chain": 5.0, "franchise": 6.0}.get(
            kind, 16.0 if key_area == "delivery_station" else 10.0
        )
        weight *= {"livestreaming": 0.4, "ride_hailing": 1.3, "other": 0.5}.get(industry, 1.0)
        street = None if rng.random() < 0.01 else t
        lat = round(clat + rng.uniform(-spread, spread), 6)
        lng = round(clng + rng.uniform(-spread, spread), 6)
        drawn.append((lat, lng, street, key_area, industry, weight))
    total_weight = sum(row[5] for row in drawn)
    candidates = []
    for i, (lat, lng, street, key_area, industry, weight) in enumerate(drawn):
        full = _poisson(rng, 0.04 * workers * weight / total_weight)
        if full >= 3 or rng.random() < COVERED_SHARE:
            continue  # builds its own, or already covered
        candidates.append(
            Candidate(
                id=i + 1,
                lat=lat,
                lng=lng,
                full_members=full,
                street_id=street,
                key_area=key_area,
                industry=industry,
            )
        )
    return candidates


def street_candidates(count: int = 2_000, seed: int = 2026) -> list[Candidate]:
    """``count`` candidates of one demo street: the district's Jinmao street (five communities,
    about 4,300 candidates), the first ``count`` by id (a random sample, at half the density)."""
    jinmao = [c for c in district_candidates(seed=seed) if c.street_id == 2]
    return jinmao[:count]
