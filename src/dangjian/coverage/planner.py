"""The joint-build planner (联合建/区域建, measure 4): groupings of small units into joint branches.

Pure Python with numpy/scipy for the geometry and OR-Tools for the optimization; no models. The
pages (proposals, review on a map, accept/decline) call ``plan`` with ``load_candidates`` and
``params_from_rules``, and check staff edits with ``group_problems`` and ``make_group``.

The problem
-----------
Candidates are units that are not organizationally covered and have fewer full members than a
standalone branch needs (``min_full_members``, 3), with coordinates and a street. A *group* (a
proposed joint branch) is a set of candidates that

- has at least ``min_full_members`` full members in total,
- has at most ``max_units`` units (5),
- lies in one street, every two of its units at most ``max_distance_km`` apart (1.5 km; the
  members must be able to meet), and
- is not a set staff declined before (``declined``: sets of unit ids; a declined grouping is not
  proposed again unchanged, a different set containing it may be).

No unit is in two groups. Objective, in this order: cover as many units as possible; among plans
covering as many, the smallest total distance from each unit to its group's centre; prefer units
of the same industry and key area as the centre (a small tie-break term, below).

The centre of a group is its *lead unit* (牵头单位): the unit where the joint branch meets, chosen
to minimize the group's total distance (the group's medoid). A group's cost is the sum over its
units of the distance to the lead unit, plus ``industry_mismatch_km`` for each unit of another
industry than the lead and ``key_area_mismatch_km`` for each unit in another key area (both 50 m
by default: a tie-break, "a unit of another industry counts as 50 m farther"). ``total_distance_km``
of a group is the distance alone.

Distances are great-circle (haversine, ``distance_km``), the rule's distance. Internally each
street is projected onto a local equirectangular plane around its mean latitude (x = R·cos φ0·λ,
y = R·φ), used for neighbour searches and for costs (at most a few 1e-4 relative off, well under a
metre at 1.5 km); whether two units are close enough is decided by the haversine distance itself
whenever the projected distance is within the projection's error bound of the limit, so the
planner's groups pass ``group_problems``.

How it is solved
----------------
Each street is split into the connected components of the "within the maximum distance" graph
(components from the Delaunay triangulation: its edges contain the Euclidean minimum spanning
tree). A component's coverage can never exceed min(units, max_units x (full members //
min_full_members)), its *bound*; a plan reaching it covers the most possible.

The exact model (CP-SAT): a variable per (unit, lead unit) pair within the distance, a unit in
at most one group, the size and member constraints per lead, pairwise distance conflicts,
declined sets cut off by a linear constraint per possible lead. First maximize coverage (each
group led by its lowest-numbered unit, which removes the symmetry; skipped when the starting plan
reaches the bound), then with that coverage required minimize the cost (lexicographic).

The heuristic:

1. cores: small sets of member-holding units reaching ``min_full_members`` with the least
   surplus members (e.g. 2+1, 1+1+1), fewest units, then shortest; picked greedily in rounds, so
   that members are not wasted and there are as many groups as the members allow;
2. fillers: every other unit is assigned to a core with room by a min-cost flow (OR-Tools),
   maximizing the units covered, then minimizing the distance to the core (member-holding units
   last: their members may found another group);
3. local search until nothing improves or the time is up: insert an uncovered unit, an ejection
   chain (an uncovered unit takes a unit's place, which moves to a group with room), new groups
   from uncovered units (also taking member units from groups that keep enough), relocations and
   swaps between groups and with uncovered units; the lead unit re-chosen after every change;
4. while below the bound and within the time, restarts of 1-3 with the cores' order shuffled
   (the best plan kept);
5. large neighbourhoods: windows of the nearest 30 units around an uncovered unit, or around a
   costly group, with the whole groups they touch, re-solved with the exact model (CP-SAT) and
   kept when better.

``plan`` ("auto") solves components of up to ``EXACT_MAX_UNITS`` candidates with the exact model
started from the heuristic's plan (steps 1-4), at most ``EXACT_SECONDS`` each, then polishes an
unproven result with steps 3 and 5; larger components get the heuristic, its windows stopping
``LNS_SECONDS`` + ``LNS_SECONDS_PER_UNIT`` x size after the component's start.

Its quality against the exact optimum and its speed are measured by ``benchmarks/planner_bench.py``
(``make bench-planner``; figures in docs/BENCHMARKS.md).
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG), as coverage.rules.distance_m

# Time and size limits (see the module's docstring).
EXACT_MAX_UNITS = 80
EXACT_SECONDS = 10.0
LNS_SECONDS = 0.5
LNS_SECONDS_PER_UNIT = 0.0005
POLISH_SECONDS = 1.0  # local search and windows after CP-SAT ran out of time on a component
# Restarts of the construction (cores picked in a shuffled order) while below the coverage bound.
RESTART_SECONDS = 1.0
RESTART_NOISE = 0.6
DEFAULT_TIME_LIMIT = 55.0
# Nearest neighbours the heuristic looks at per unit, and nearest cores per filler unit.
NEIGHBOURS = 24
CORE_NEIGHBOURS = 10
# Member-holding neighbours considered when forming a core around a unit.
CORE_PARTNERS = 6
# Local search: moves whose change with the lead units kept is below this are evaluated exactly,
# the most promising SCREEN_EXACT of them.
SCREEN_SLACK_KM = 0.02
SCREEN_EXACT = 6
MEMBER_FILLER_KM = 0.5  # the flow's extra price per member for using a member unit as a filler
_BIG = 10**7  # the flow's price of leaving a unit uncovered (more than any distance in metres)


@dataclass(frozen=True)
class Candidate:
    """A unit that could join a joint branch (see ``load_candidates``)."""

    id: int
    lat: float
    lng: float
    full_members: int
    street_id: int | None
    key_area: str = ""
    industry: str = ""


@dataclass(frozen=True)
class PlanParams:
    """The rule values (``params_from_rules``) and the tie-break weights."""

    min_full_members: int = 3
    max_units: int = 5
    max_distance_km: float = 1.5  # math.inf: no distance limit (the rule switched off)
    industry_mismatch_km: float = 0.05
    key_area_mismatch_km: float = 0.05


@dataclass(frozen=True)
class Group:
    """One proposed joint branch."""

    unit_ids: tuple[int, ...]  # ascending
    centre_id: int  # the lead unit, where the branch meets
    centre: tuple[float, float]  # (lat, lng) of the lead unit
    total_distance_km: float  # sum of the units' great-circle distances to the lead unit
    full_members: int
    street_id: int | None

    @property
    def key(self) -> frozenset[int]:
        return frozenset(self.unit_ids)


@dataclass
class PlanStats:
    """What ``plan`` did, for the pages and the benchmark."""

    candidates: int = 0  # eligible candidates (with a street, fewer full members than needed)
    covered: int = 0
    groups: int = 0
    components: int = 0
    empty_components: int = 0  # too few members for any group: nothing to solve
    exact_components: int = 0  # solved to proven optimality
    heuristic_components: int = 0
    largest_component: int = 0
    coverage_bound: int = 0  # an upper bound on what any plan can cover (members and size)
    seconds: float = 0.0


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in km (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def params_from_rules() -> PlanParams:
    """The planner's parameters from the district's rule table.

    A rule switched off: the distance limit is lifted; the member threshold and the unit limit
    fall back to their national defaults (a planner without them would propose one branch per
    street).
    """
    from dangjian.core.rules import rule_value
    from dangjian.coverage.rules import MAX_DISTANCE_RULE, MAX_UNITS_RULE, MIN_FULL_MEMBERS_RULE

    defaults = PlanParams()
    min_full = rule_value(MIN_FULL_MEMBERS_RULE)
    max_units = rule_value(MAX_UNITS_RULE)
    max_distance_m = rule_value(MAX_DISTANCE_RULE)
    return replace(
        defaults,
        min_full_members=defaults.min_full_members if min_full is None else int(min_full),
        max_units=defaults.max_units if max_units is None else int(max_units),
        max_distance_km=math.inf if max_distance_m is None else max_distance_m / 1000,
    )


def load_candidates(units, *, params: PlanParams | None = None, on=None) -> list[Candidate]:
    """The candidates among ``units`` (a Unit queryset, already scoped by the caller).

    Units that are not organizationally covered (an organization being prepared counts as
    covered), have fewer full members than ``params.min_full_members``, have coordinates and a
    street, and are not closed or deregistered. Full members are counted on ``on`` (default today)
    by ``coverage.queries.annotate_coverage``.
    """
    from dangjian.coverage.queries import CLOSED_STATUSES, annotate_coverage

    params = params or params_from_rules()
    rows = (
        annotate_coverage(
            units.filter(latitude__isnull=False, longitude__isnull=False, street__isnull=False).exclude(
                operating_status__in=CLOSED_STATUSES
            ),
            on=on,
        )
        .filter(org_covered=False, full_members__lt=params.min_full_members)
        .order_by("pk")
        .values_list("pk", "latitude", "longitude", "full_members", "street_id", "key_area", "industry")
    )
    return [
        Candidate(
            id=pk,
            lat=float(lat),
            lng=float(lng),
            full_members=int(full),
            street_id=street,
            key_area=key_area or "",
            industry=industry or "",
        )
        for pk, lat, lng, full, street, key_area, industry in rows
    ]


# --- one street's candidates as arrays ------------------------------------------------------


class _Problem:
    """Candidates of one street (or a part of it): coordinates, members and the distance checks."""

    def __init__(self, candidates: Sequence[Candidate], params: PlanParams, declined: Iterable[frozenset]):
        self.cands = list(candidates)
        self.params = params
        self.n = n = len(self.cands)
        self.R = params.min_full_members
        self.K = params.max_units
        self.D = params.max_distance_km
        self.ids = [c.id for c in self.cands]
        self.lat = [c.lat for c in self.cands]
        self.lng = [c.lng for c in self.cands]
        self.m = [c.full_members for c in self.cands]
        codes: dict[str, int] = {}
        self.ind = [codes.setdefault("i:" + c.industry, len(codes)) for c in self.cands]
        self.ka = [codes.setdefault("k:" + c.key_area, len(codes)) for c in self.cands]
        lat = np.array(self.lat, dtype=float) if n else np.zeros(0)
        lng = np.array(self.lng, dtype=float) if n else np.zeros(0)
        phi0 = float(lat.mean()) if n else 0.0
        rad = math.pi / 180
        self.xy = np.column_stack(
            [EARTH_RADIUS_KM * math.cos(phi0 * rad) * lng * rad, EARTH_RADIUS_KM * lat * rad]
        )
        self.x = self.xy[:, 0].tolist()
        self.y = self.xy[:, 1].tolist()
        # The projection's relative error on a distance is about tan(φ)·|φ - φ0| (plus a tiny
        # curvature term): within this band around the limit the haversine distance decides.
        spread = float(np.abs(lat - phi0).max()) * rad if n else 0.0
        steepest = float(np.abs(lat).max()) * rad if n else 0.0
        self.band = max(1e-4, 2 * math.tan(min(steepest, 1.5)) * spread + 1e-5)
        if math.isinf(self.D):
            self.lo2 = self.hi2 = math.inf
        else:
            self.lo2 = (self.D * (1 - self.band)) ** 2
            self.hi2 = (self.D * (1 + self.band)) ** 2
        self.search_radius = math.inf if math.isinf(self.D) else self.D * (1 + self.band) + 1e-9
        index = {cid: i for i, cid in enumerate(self.ids)}
        self.declined: set[frozenset[int]] = set()
        for ids in declined:
            local = [index.get(cid) for cid in ids]
            if local and None not in local:
                self.declined.add(frozenset(local))
        self.declined_sizes = {len(s) for s in self.declined}
        self.alpha = params.industry_mismatch_km
        self.beta = params.key_area_mismatch_km

    def compatible(self, i: int, j: int) -> bool:
        dx = self.x[i] - self.x[j]
        dy = self.y[i] - self.y[j]
        d2 = dx * dx + dy * dy
        if d2 <= self.lo2:
            return True
        if d2 > self.hi2:
            return False
        return distance_km(self.lat[i], self.lng[i], self.lat[j], self.lng[j]) <= self.D

    def cost(self, u: int, lead: int) -> float:
        """What unit ``u`` adds to a group led by ``lead`` (km, tie-break terms included)."""
        if u == lead:
            return 0.0
        c = math.hypot(self.x[u] - self.x[lead], self.y[u] - self.y[lead])
        if self.ind[u] != self.ind[lead]:
            c += self.alpha
        if self.ka[u] != self.ka[lead]:
            c += self.beta
        return c

    def group_cost(self, units: Sequence[int]) -> tuple[float, int]:
        """(cost, lead): the lead unit minimizing the group's cost (costs are symmetric)."""
        size = len(units)
        if size < 2:
            return 0.0, units[0]
        x, y, ind, ka, alpha, beta = self.x, self.y, self.ind, self.ka, self.alpha, self.beta
        hypot = math.hypot
        sums = [0.0] * size
        for i in range(size - 1):
            u = units[i]
            xu, yu, iu, ku = x[u], y[u], ind[u], ka[u]
            for j in range(i + 1, size):
                v = units[j]
                c = hypot(xu - x[v], yu - y[v])
                if iu != ind[v]:
                    c += alpha
                if ku != ka[v]:
                    c += beta
                sums[i] += c
                sums[j] += c
        best = min(range(size), key=sums.__getitem__)
        return sums[best], units[best]

    def is_declined(self, units: Collection[int]) -> bool:
        return len(units) in self.declined_sizes and frozenset(units) in self.declined

    def valid(self, units: Sequence[int]) -> bool:
        if not 0 < len(units) <= self.K or sum(self.m[u] for u in units) < self.R:
            return False
        if self.is_declined(units):
            return False
        return all(self.compatible(a, b) for a, b in itertools.combinations(units, 2))

    def group(self, units: Sequence[int]) -> Group:
        _, lead = self.group_cost(units)
        return Group(
            unit_ids=tuple(sorted(self.ids[u] for u in units)),
            centre_id=self.ids[lead],
            centre=(self.lat[lead], self.lng[lead]),
            total_distance_km=sum(
                distance_km(self.lat[u], self.lng[u], self.lat[lead], self.lng[lead])
                for u in units
                if u != lead
            ),
            full_members=sum(self.m[u] for u in units),
            street_id=self.cands[units[0]].street_id,
        )

    def components(self) -> list[list[int]]:
        """The connected components of the "within the maximum distance" graph (a superset of its
        edges: projected length up to the limit plus the error band)."""
        n = self.n
        if n <= 1 or math.isinf(self.D):
            return [list(range(n))] if n else []
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        edges = self._short_edges()
        if edges.shape[0] == 0:
            return [[i] for i in range(n)]
        graph = coo_matrix((np.ones(edges.shape[0]), (edges[:, 0], edges[:, 1])), shape=(n, n))
        count, labels = connected_components(graph, directed=False)
        parts: list[list[int]] = [[] for _ in range(count)]
        for i, label in enumerate(labels.tolist()):
            parts[label].append(i)
        return parts

    def _short_edges(self) -> np.ndarray:
        from scipy.spatial import Delaunay, QhullError, cKDTree

        limit = self.search_radius
        points = self.xy
        unique, inverse = np.unique(points, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        same = np.column_stack([np.arange(self.n), np.zeros(self.n, dtype=int)])
        # Units at the same point: chain each to the first unit at that point.
        first = np.full(len(unique), -1)
        for i, k in enumerate(inverse.tolist()):
            if first[k] < 0:
                first[k] = i
            same[i, 1] = first[k]
        edges = [same[same[:, 0] != same[:, 1]]]
        if len(unique) >= 4:
            try:
                tri = Delaunay(unique)
                simplices = tri.simplices
                pairs = np.vstack([simplices[:, [0, 1]], simplices[:, [1, 2]], simplices[:, [0, 2]]])
            except QhullError:  # all on a line: fall back to a radius search
                pairs = cKDTree(unique).query_pairs(limit, output_type="ndarray")
        elif len(unique) >= 2:
            pairs = np.array(list(itertools.combinations(range(len(unique)), 2)))
        else:
            pairs = np.zeros((0, 2), dtype=int)
        if len(pairs):
            lengths = np.hypot(*(unique[pairs[:, 0]] - unique[pairs[:, 1]]).T)
            pairs = pairs[lengths <= limit]
            edges.append(np.column_stack([first[pairs[:, 0]], first[pairs[:, 1]]]))
        return np.vstack(edges) if edges else np.zeros((0, 2), dtype=int)

    def coverage_bound(self, units: Sequence[int]) -> int:
        members = sum(self.m[u] for u in units)
        return min(len(units), self.K * (members // self.R)) if self.R > 0 else len(units)


# --- the exact model (CP-SAT) ---------------------------------------------------------------


def _solve_exact(
    p: _Problem,
    units: Sequence[int],
    *,
    time_limit_s: float | None,
    workers: int = 8,
    hint: Sequence[Sequence[int]] = (),
) -> tuple[list[list[int]], bool]:
    """Solve the units (part of ``p``) with CP-SAT; (groups, proven optimal).

    Two models: for the coverage, each group is led by its lowest-numbered unit (the same
    optimum, without the symmetry of choosing the lead); for the cost, any unit may lead and the
    coverage found is required.
    """
    from ortools.sat.python import cp_model

    units = list(units)
    if p.coverage_bound(units) == 0:
        return [], True
    started = time.perf_counter()
    near = {c: [u for u in units if u != c and p.compatible(u, c)] for c in units}
    max_groups = sum(p.m[u] for u in units) // p.R

    def build(symmetric: bool):
        model = cp_model.CpModel()
        z = {c: model.NewBoolVar(f"z{c}") for c in units}
        led = {c: [u for u in near[c] if not symmetric or u > c] for c in units}
        x = {(u, c): model.NewBoolVar(f"x{u}_{c}") for c in units for u in led[c]}
        by_unit: dict[int, list] = {u: [z[u]] for u in units}
        for (u, _c), var in x.items():
            by_unit[u].append(var)
        for u in units:
            model.AddAtMostOne(by_unit[u])
        for c in units:
            xs = [x[u, c] for u in led[c]]
            for var in xs:
                model.AddImplication(var, z[c])
            model.Add(sum(xs) <= (p.K - 1) * z[c])
            model.Add(p.m[c] * z[c] + sum(p.m[u] * x[u, c] for u in led[c]) >= p.R * z[c])
            for u, v in itertools.combinations(led[c], 2):
                if not p.compatible(u, v):
                    model.AddBoolOr([x[u, c].Not(), x[v, c].Not()])
        model.Add(sum(z.values()) <= max_groups)  # each group takes R members
        for s in p.declined:
            if not s <= set(units):
                continue
            for c in [min(s)] if symmetric else s:
                rest = s - {c}
                if not all((u, c) in x for u in rest):
                    continue
                outside = [x[u, c] for u in led[c] if u not in s]
                # All of s in c's group implies some unit outside s in it too.
                model.Add(sum(x[u, c] for u in rest) + z[c] - len(rest) <= sum(outside))
        return model, z, x, led

    def solve(model, limit):
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = workers
        if limit is not None:
            solver.parameters.max_time_in_seconds = max(0.01, limit)
        return solver, solver.Solve(model)

    def left():
        return None if time_limit_s is None else time_limit_s - (time.perf_counter() - started)

    bound = p.coverage_bound(units)
    if hint and sum(len(g) for g in hint) >= bound:
        first, optimal = [list(g) for g in hint], True  # the hint reaches the upper bound
    else:
        model, z, x, led = build(symmetric=True)
        if hint:
            hinted = {(u, min(g)) for g in hint for u in g}
            for c, var in z.items():
                model.AddHint(var, (c, c) in hinted)
            for key, var in x.items():
                model.AddHint(var, key in hinted)
            model.Add(sum(z.values()) + sum(x.values()) >= sum(len(g) for g in hint))
        model.Add(sum(z.values()) + sum(x.values()) <= bound)
        model.Maximize(sum(z.values()) + sum(x.values()))
        solver, status = solve(model, None if time_limit_s is None else time_limit_s * 0.5)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return [list(g) for g in hint], False
        optimal = status == cp_model.OPTIMAL
        first = _read_groups(solver, z, x, led)
        if hint and sum(len(g) for g in first) == sum(len(g) for g in hint):
            first = [list(g) for g in hint]  # the same coverage: start the cost phase from the hint
    best_cover = sum(len(g) for g in first)

    model, z, x, led = build(symmetric=False)
    model.Add(sum(z.values()) + sum(x.values()) >= best_cover)
    chosen = set()
    for g in first:
        _, lead = p.group_cost(g)
        chosen.update((u, lead) for u in g)
    for c, var in z.items():
        model.AddHint(var, (c, c) in chosen)
    for key, var in x.items():
        model.AddHint(var, key in chosen)
    model.Minimize(sum(round(p.cost(u, c) * 1000) * var for (u, c), var in x.items()))
    solver, status = solve(model, left())
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _read_groups(solver, z, x, led), optimal and status == cp_model.OPTIMAL
    return first, False


def _read_groups(solver, z, x, near) -> list[list[int]]:
    groups = []
    for c, var in z.items():
        if solver.BooleanValue(var):
            groups.append([c, *(u for u in near[c] if solver.BooleanValue(x[u, c]))])
    return groups


# --- the heuristic ----------------------------------------------------------------------------


class _Search:
    """Cores, a min-cost flow for the other units, then local search (see the module's docstring)."""

    def __init__(
        self,
        p: _Problem,
        units: Sequence[int],
        *,
        deadline: float,
        lns_deadline: float | None = None,
        seed: int = 0,
        window: int = 30,
        window_seconds: float = 0.5,
        workers: int = 2,
    ):
        self.p = p
        self.noise = 0.0
        self.lns_deadline = deadline if lns_deadline is None else lns_deadline
        self.window = window
        self.window_seconds = window_seconds
        self.workers = workers
        self.units = list(units)
        self.deadline = deadline
        self.rng = random.Random(seed)
        self.group_of: dict[int, int] = {}  # unit -> group id (uncovered units absent)
        self.groups: dict[int, list[int]] = {}
        self.gcost: dict[int, float] = {}
        self.glead: dict[int, int] = {}
        self.gmem: dict[int, int] = {}
        self.next_gid = 0
        self._neighbours()

    # -- neighbourhoods

    def _neighbours(self) -> None:
        from scipy.spatial import cKDTree

        p, units = self.p, self.units
        self.near: dict[int, list[int]] = {}
        if len(units) < 2:
            self.near = {u: [] for u in units}
            self.near_set = {u: set() for u in units}
            return
        xy = p.xy[units]
        k = min(NEIGHBOURS + 1, len(units))
        dist, idx = cKDTree(xy).query(xy, k=k, distance_upper_bound=p.search_radius)
        for row, u in enumerate(units):
            found = []
            for d, j in zip(dist[row].tolist(), idx[row].tolist(), strict=True):
                if j >= len(units) or math.isinf(d):
                    break
                v = units[j]
                if v != u and p.compatible(u, v):
                    found.append(v)
            self.near[u] = found
        self.near_set = {u: set(found) for u, found in self.near.items()}

    # -- bookkeeping

    def add_group(self, members: list[int]) -> int:
        gid = self.next_gid
        self.next_gid += 1
        self.groups[gid] = members
        self.gcost[gid], self.glead[gid] = self.p.group_cost(members)
        self.gmem[gid] = sum(self.p.m[u] for u in members)
        for u in members:
            self.group_of[u] = gid
        return gid

    def set_group(self, gid: int, members: list[int]) -> None:
        for u in self.groups[gid]:
            if self.group_of.get(u) == gid:
                del self.group_of[u]
        if not members:
            del self.groups[gid], self.gcost[gid], self.gmem[gid], self.glead[gid]
            return
        self.groups[gid] = members
        self.gcost[gid], self.glead[gid] = self.p.group_cost(members)
        self.gmem[gid] = sum(self.p.m[u] for u in members)
        for u in members:
            self.group_of[u] = gid

    def fits(self, u: int, members: Iterable[int]) -> bool:
        compatible = self.p.compatible
        return all(compatible(u, v) for v in members)

    def ok(self, members: list[int]) -> bool:
        """Size, members and declined sets (distances are checked by the caller)."""
        p = self.p
        return len(members) <= p.K and sum(p.m[u] for u in members) >= p.R and not p.is_declined(members)

    def covered(self) -> int:
        return len(self.group_of)

    # -- 1. cores

    def build_cores(self) -> None:
        """Rounds of greedy core picking; each round looks again at the member-holding units left,
        so that none stays out only because its nearest partners were taken."""
        from scipy.spatial import cKDTree

        p = self.p
        left = [u for u in self.units if p.m[u] > 0]
        while len(left) >= 2:
            before = len(self.groups)
            k = min(CORE_PARTNERS + 1, len(left))
            dist, idx = cKDTree(p.xy[left]).query(p.xy[left], k=k, distance_upper_bound=p.search_radius)
            pool = []
            for row, u in enumerate(left):
                partners = [
                    left[j]
                    for d, j in zip(dist[row].tolist(), idx[row].tolist(), strict=True)
                    if j < len(left) and not math.isinf(d) and left[j] != u and p.compatible(u, left[j])
                ]
                pool += self._cores_around(u, partners)
            if self.noise:  # a restart: shuffle the cores' order (least surplus still first)
                rng, noise = self.rng, self.noise
                sizes = rng.random() < 0.5  # half the restarts ignore the fewest-units preference
                pool = [
                    (a, b if sizes else 0, c * (1 + noise * (2 * rng.random() - 1)), d) for a, b, c, d in pool
                ]
            pool.sort(key=lambda item: (item[0], item[1], item[2]))
            for _, _, _, members in pool:
                if all(v not in self.group_of for v in members):
                    self.add_group(list(members))
            if len(self.groups) == before:
                break
            left = [u for u in left if u not in self.group_of]

    def _cores_around(self, u: int, partners: list[int]) -> list[tuple]:
        """Minimal member sets containing u and some of ``partners``: (surplus, size, cost, units)."""
        p = self.p
        found = []
        for size in range(1, min(p.K, p.R)):
            for combo in itertools.combinations(partners, size):
                total = p.m[u] + sum(p.m[v] for v in combo)
                members = [u, *combo]
                if total < p.R or total - min(p.m[v] for v in members) >= p.R:
                    continue  # not enough, or not minimal
                if size > 1 and not all(p.compatible(a, b) for a, b in itertools.combinations(combo, 2)):
                    continue
                if p.is_declined(members):
                    continue
                found.append((total - p.R, len(members), p.group_cost(members)[0], members))
        return found

    # -- 2. the other units: min-cost flow onto the cores

    def assign_fillers(self) -> None:
        from ortools.graph.python import min_cost_flow
        from scipy.spatial import cKDTree

        p = self.p
        fillers = [u for u in self.units if u not in self.group_of]
        gids = [g for g, members in self.groups.items() if len(members) < p.K]
        if not fillers or not gids:
            return
        anchors = [p.group_cost(self.groups[g])[1] for g in gids]
        tree = cKDTree(p.xy[anchors])
        k = min(CORE_NEIGHBOURS, len(gids))
        dist, idx = tree.query(p.xy[fillers], k=k, distance_upper_bound=p.search_radius)
        if k == 1:
            dist, idx = dist[:, None], idx[:, None]
        flow = min_cost_flow.SimpleMinCostFlow()
        nf, ng = len(fillers), len(gids)
        sink = nf + ng
        tails, heads, caps, costs = [], [], [], []
        for row, u in enumerate(fillers):
            for d, j in zip(dist[row].tolist(), idx[row].tolist(), strict=True):
                if j >= ng or math.isinf(d):
                    break
                members = self.groups[gids[j]]
                if self.fits(u, members) and not p.is_declined([*members, u]):
                    tails.append(row)
                    heads.append(nf + j)
                    caps.append(1)
                    # Member-holding units fill a group last: their members may found another.
                    costs.append(round((p.cost(u, anchors[j]) + MEMBER_FILLER_KM * p.m[u]) * 1000))
            tails.append(row)
            heads.append(sink)
            caps.append(1)
            costs.append(_BIG)
        for j, g in enumerate(gids):
            tails.append(nf + j)
            heads.append(sink)
            caps.append(p.K - len(self.groups[g]))
            costs.append(0)
        arcs = flow.add_arcs_with_capacity_and_unit_cost(
            np.array(tails), np.array(heads), np.array(caps), np.array(costs)
        )
        supplies = np.zeros(nf + ng + 1, dtype=np.int64)
        supplies[:nf] = 1
        supplies[sink] = -nf
        flow.set_nodes_supplies(np.arange(nf + ng + 1), supplies)
        if flow.solve() != flow.OPTIMAL:
            return
        flows = flow.flows(arcs)
        joined: dict[int, list[int]] = {}
        for arc, amount in enumerate(flows.tolist()):
            if amount and tails[arc] < nf and heads[arc] < sink:
                joined.setdefault(gids[heads[arc] - nf], []).append(fillers[tails[arc]])
        for g, new in joined.items():
            members = list(self.groups[g])
            new.sort(key=lambda u: p.cost(u, members[0]))
            for u in new:  # the flow ignores distances between fillers: add those that fit
                if self.fits(u, members) and not p.is_declined([*members, u]):
                    members.append(u)
            if p.is_declined(members):
                continue
            self.set_group(g, members)

    # -- 3. local search

    def improve(self, units: Iterable[int] | None = None, *, coverage_only: bool = False) -> None:
        """Local search from ``units`` (default all), until nothing improves or the deadline;
        ``coverage_only``: only the moves that cover more units."""
        queue = list(self.units if units is None else units)
        self.rng.shuffle(queue)
        queued = set(queue)
        head = 0
        checks = 0
        while head < len(queue):
            checks += 1
            if checks % 64 == 0 and time.perf_counter() > self.deadline:
                return
            u = queue[head]
            head += 1
            queued.discard(u)
            if coverage_only and u in self.group_of:
                continue
            touched = self.try_unit(u)
            if touched:
                for v in touched:
                    for w in (v, *self.near[v]):
                        if w not in queued:
                            queued.add(w)
                            queue.append(w)
            if head > 4096 and head * 2 > len(queue):
                queue = queue[head:]
                head = 0

    def try_unit(self, u: int) -> list[int] | None:
        if u in self.group_of:
            return self.improve_covered(u)
        return (
            self.insert(u)
            or self.eject(u)
            or self.new_group(u, steal=False)
            or self.new_group(u, steal=True)
            or self.replace_cheaper(u)
        )

    def neighbour_groups(self, u: int) -> list[int]:
        seen = []
        group_of = self.group_of
        for v in self.near[u]:
            g = group_of.get(v)
            if g is not None and g not in seen:
                seen.append(g)
        return seen

    def insert(self, u: int) -> list[int] | None:
        p = self.p
        best, best_g = math.inf, None
        for g in self.neighbour_groups(u):
            members = self.groups[g]
            if len(members) >= p.K or not self.fits(u, members):
                continue
            new = [*members, u]
            if p.is_declined(new):
                continue
            delta = p.group_cost(new)[0] - self.gcost[g]
            if delta < best:
                best, best_g = delta, g
        if best_g is None:
            return None
        self.set_group(best_g, [*self.groups[best_g], u])
        return self.groups[best_g]

    def eject(self, u: int) -> list[int] | None:
        """u takes v's place in a group; v moves to another group with room."""
        p = self.p
        for g in self.neighbour_groups(u):
            members = self.groups[g]
            for v in members:
                rest = [w for w in members if w != v]
                if self.gmem[g] - p.m[v] + p.m[u] < p.R or not self.fits(u, rest):
                    continue
                new = [*rest, u]
                if p.is_declined(new):
                    continue
                for h in self.neighbour_groups(v):
                    if h == g:
                        continue
                    target = self.groups[h]
                    if len(target) >= p.K or not self.fits(v, target) or p.is_declined([*target, v]):
                        continue
                    self.set_group(g, new)
                    self.set_group(h, [*target, v])
                    return [*new, *self.groups[h]]
        return None

    def new_group(self, u: int, *, steal: bool) -> list[int] | None:
        """A new group around uncovered u: uncovered member units nearest first and, with
        ``steal``, member units taken from groups that keep enough members; then uncovered units
        up to the size limit. Taken units stay covered, so the gain is the uncovered units."""
        p = self.p
        members = [u]
        total = p.m[u]
        free = [v for v in self.near[u] if v not in self.group_of]
        for v in free:
            if total >= p.R or len(members) >= p.K:
                break
            if p.m[v] > 0 and self.fits(v, members):
                members.append(v)
                total += p.m[v]
        donors: dict[int, list[int]] = {}
        if total < p.R and steal:
            for v in self.near[u]:
                if total >= p.R or len(members) >= p.K:
                    break
                g = self.group_of.get(v)
                if g is None or p.m[v] == 0:
                    continue
                rest = donors.get(g, self.groups[g])
                if sum(p.m[w] for w in rest) - p.m[v] < p.R or not self.fits(v, members):
                    continue
                donors[g] = [w for w in rest if w != v]
                members.append(v)
                total += p.m[v]
            if any(p.is_declined(rest) for rest in donors.values()):
                return None
        if total < p.R:
            return None
        for v in free:
            if len(members) >= p.K:
                break
            if v not in members and self.fits(v, members):
                members.append(v)
        while p.is_declined(members):
            dropped = next((w for w in reversed(members) if w not in self.group_of and w != u), None)
            if dropped is None:
                return None
            members.remove(dropped)
            if sum(p.m[w] for w in members) < p.R:
                return None
        touched = []
        for g, rest in donors.items():
            self.set_group(g, rest)
            touched += rest
        gid = self.add_group(members)
        return [*touched, *self.groups[gid]]

    def replace_cheaper(self, u: int) -> list[int] | None:
        """Uncovered u takes the place of a unit of a group when that lowers the group's cost."""
        p = self.p
        for g in self.neighbour_groups(u):
            members = self.groups[g]
            for v in members:
                if self.gmem[g] - p.m[v] + p.m[u] < p.R:
                    continue
                rest = [w for w in members if w != v]
                if not self.fits(u, rest):
                    continue
                new = [*rest, u]
                if p.is_declined(new):
                    continue
                if p.group_cost(new)[0] < self.gcost[g] - 1e-9:
                    self.set_group(g, new)
                    return [*new, v]
        return None

    def improve_covered(self, u: int) -> list[int] | None:
        """Relocate u to another group, swap it with a unit of another group or with an uncovered
        unit, whichever lowers the cost most. Moves are screened by their change with the lead
        units kept (an upper bound on the true change, which may pick a better lead); the three
        best are evaluated exactly."""
        p = self.p
        cost = p.cost
        g = self.group_of[u]
        members = self.groups[g]
        lead_g = self.glead[g]
        rest = [w for w in members if w != u]
        m, R, K = p.m, p.R, p.K
        gmem_g = self.gmem[g]
        can_leave = gmem_g - m[u] >= R and not p.is_declined(rest)
        base = self.gcost[g]
        rest_cost = p.group_cost(rest)[0] if can_leave else math.inf
        near_u = self.near_set[u]
        u_to_g = cost(u, lead_g)
        moves = []  # (upper bound of the change, kind, h, v)
        for h in self.neighbour_groups(u):
            if h == g:
                continue
            target = self.groups[h]
            lead_h = self.glead[h]
            u_to_h = cost(u, lead_h)
            if can_leave and len(target) < K:
                bound = rest_cost - base + u_to_h
                if bound < SCREEN_SLACK_KM:
                    moves.append((bound, 0, h, None))
            gmem_h = self.gmem[h]
            for v in target:
                if v not in near_u or gmem_g - m[u] + m[v] < R or gmem_h - m[v] + m[u] < R:
                    continue
                if u == lead_g or v == lead_h:
                    bound = -math.inf  # evaluate exactly
                else:
                    bound = cost(v, lead_g) - u_to_g + u_to_h - cost(v, lead_h)
                if bound < SCREEN_SLACK_KM:
                    moves.append((bound, 1, h, v))
        for v in self.near[u]:
            if v in self.group_of or gmem_g - m[u] + m[v] < R:
                continue
            bound = -math.inf if u == lead_g else cost(v, lead_g) - u_to_g
            if bound < SCREEN_SLACK_KM:
                moves.append((bound, 2, None, v))
        if not moves:
            return None
        moves.sort(key=lambda move: move[0])
        best, chosen = -1e-9, None
        tried = 0
        for bound, kind, h, v in moves:
            if tried >= SCREEN_EXACT and bound > -math.inf:
                break
            if kind == 0:
                target = self.groups[h]
                if not self.fits(u, target):
                    continue
                new = [*target, u]
                if p.is_declined(new):
                    continue
                tried += 1
                delta = rest_cost - base + p.group_cost(new)[0] - self.gcost[h]
                if delta < best:
                    best, chosen = delta, (h, rest, new)
            elif kind == 1:
                target = self.groups[h]
                h_rest = [w for w in target if w != v]
                if not self.fits(v, rest) or not self.fits(u, h_rest):
                    continue
                g_new, h_new = [*rest, v], [*h_rest, u]
                if p.is_declined(g_new) or p.is_declined(h_new):
                    continue
                tried += 1
                delta = p.group_cost(g_new)[0] + p.group_cost(h_new)[0] - base - self.gcost[h]
                if delta < best:
                    best, chosen = delta, (h, g_new, h_new)
            else:
                if not self.fits(v, rest):
                    continue
                g_new = [*rest, v]
                if p.is_declined(g_new):
                    continue
                tried += 1
                delta = p.group_cost(g_new)[0] - base
                if delta < best:
                    best, chosen = delta, (None, g_new, None)
        if chosen is None:
            return None
        h, g_new, h_new = chosen
        self.set_group(g, g_new)
        touched = [u, *g_new]
        if h is not None:
            self.set_group(h, h_new)
            touched += h_new
        return touched

    # -- 4. large neighbourhoods solved exactly

    def lns(self) -> None:
        """Re-solve windows (the ``window`` nearest units around a seed, with the whole groups of
        those in one) exactly with CP-SAT; keep the result when it covers more, or as many for
        less. Seeds: uncovered member units, other uncovered units, then the costliest groups'
        lead units."""
        from scipy.spatial import cKDTree

        p = self.p
        if self.window < 2 or len(self.units) < 2:
            return
        tree = cKDTree(p.xy[self.units])
        k = min(self.window, len(self.units))
        uncovered = [u for u in self.units if u not in self.group_of]
        self.rng.shuffle(uncovered)
        uncovered.sort(key=lambda u: -p.m[u])
        costly = sorted(self.groups, key=lambda g: -self.gcost[g] / len(self.groups[g]))
        seeds = uncovered + [self.groups[g][0] for g in costly]
        solved: set[int] = set()
        for seed in seeds:
            remaining = self.lns_deadline - time.perf_counter()
            if remaining <= 0:
                return
            if seed in solved:
                continue
            _, idx = tree.query(p.xy[seed], k=k)
            idx = np.atleast_1d(idx)
            window = {self.units[j] for j in idx.tolist() if j < len(self.units)}
            gids = sorted({self.group_of[u] for u in window if u in self.group_of})  # whole groups
            free = [u for u in window if u not in self.group_of]
            sub = free + [v for g in gids for v in self.groups[g]]
            hint = [list(self.groups[g]) for g in gids]
            cover = sum(len(g) for g in hint)
            cost = sum(self.gcost[g] for g in gids)
            if seed in self.group_of and len(gids) < 2:
                continue  # nothing to rearrange for a lower cost
            if seed not in self.group_of and p.coverage_bound(sub) <= cover:
                continue  # no more members in reach
            solved.update(sub)
            groups, _ = _solve_exact(
                p, sub, time_limit_s=min(self.window_seconds, remaining), workers=self.workers, hint=hint
            )
            new_cover = sum(len(g) for g in groups)
            new_cost = sum(p.group_cost(g)[0] for g in groups)
            if new_cover > cover or (new_cover == cover and new_cost < cost - 1e-9):
                for g in gids:
                    self.set_group(g, [])
                for g in groups:
                    self.add_group(list(g))
                self.changed.update(sub)

    def polish(self, groups: Sequence[Sequence[int]]) -> list[list[int]]:
        """Start from ``groups`` (valid, over this search's units): local search, then windows."""
        self.timings = {}
        self.changed = set()
        for members in groups:
            self.add_group(list(members))
        self.improve()
        self.lns()
        self.improve_changed()
        return [list(members) for members in self.groups.values()]

    def improve_changed(self) -> None:
        self.improve(sorted(self.changed))

    def snapshot(self) -> list[list[int]]:
        return [list(members) for members in self.groups.values()]

    def restore(self, groups: Sequence[Sequence[int]]) -> None:
        self.group_of, self.groups, self.gcost, self.glead, self.gmem = {}, {}, {}, {}, {}
        for members in groups:
            self.add_group(list(members))

    def score(self) -> tuple[int, float]:
        return self.covered(), -sum(self.gcost.values())

    def _timed(self, step) -> None:
        started = time.perf_counter()
        step()
        name = step.__name__
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started
        self.timings[name + "_covered"] = self.covered()
        self.timings[name + "_cost"] = sum(self.gcost.values())

    def run(self, *, restarts_until: float | None = None) -> list[list[int]]:
        """Construct and improve; until ``restarts_until``, while the coverage is below the
        upper bound, construct again with the cores' order shuffled and keep the best; then the
        CP-SAT windows."""
        self.timings: dict[str, float] = {}
        self.changed: set[int] = set()
        for step in (self.build_cores, self.assign_fillers, self.improve):
            self._timed(step)
        bound = self.p.coverage_bound(self.units)
        best, best_score = self.snapshot(), self.score()
        restarts = 0
        while restarts_until is not None and best_score[0] < bound and time.perf_counter() < restarts_until:
            restarts += 1
            self.restore([])
            self.noise = RESTART_NOISE
            self.build_cores()
            self.assign_fillers()
            self.improve([u for u in self.units if u not in self.group_of], coverage_only=True)
            if self.covered() > best_score[0]:
                best, best_score = self.snapshot(), self.score()
                self.improve()  # the best so far gets the full local search
                best, best_score = self.snapshot(), self.score()
        self.noise = 0.0
        self.timings["restarts"] = restarts
        if restarts:
            self.restore(best)
        self._timed(self.lns)
        self._timed(self.improve_changed)
        return self.snapshot()


# --- the plan -----------------------------------------------------------------------------------


def plan(
    candidates: Iterable[Candidate],
    params: PlanParams | None = None,
    *,
    declined: Iterable[Collection[int]] = (),
    method: str = "auto",
    time_limit_s: float | None = None,
    exact_max_units: int = EXACT_MAX_UNITS,
    stats: PlanStats | None = None,
    seed: int = 0,
    workers: int = 8,
) -> list[Group]:
    """Propose joint branches for ``candidates`` (any streets; each group stays in one).

    ``method``: "auto" (components of up to ``exact_max_units`` candidates with CP-SAT, started
    from the heuristic's plan, at most ``EXACT_SECONDS`` each; larger ones with the heuristic,
    whose CP-SAT windows stop ``LNS_SECONDS`` + ``LNS_SECONDS_PER_UNIT`` x size after the
    component's start), "heuristic" (the latter for every component) or "exact" (CP-SAT on
    every component without a time limit: for benchmarks and tests). ``time_limit_s``: a cap on
    the whole call (default ``DEFAULT_TIME_LIMIT``; for "exact", none); a plan is always
    returned, the best found in the time. Candidates without a street, or with enough full
    members to build their own branch, are left out. ``stats``, when given, is filled in. Groups
    come street by street, largest first.
    """
    if method not in ("auto", "heuristic", "exact"):
        raise ValueError(f"unknown method {method!r}")
    started = time.perf_counter()
    params = params or PlanParams()
    stats = stats if stats is not None else PlanStats()
    declined_sets = [frozenset(s) for s in declined]
    by_street: dict[int, list[Candidate]] = {}
    seen: set[int] = set()
    for c in candidates:
        if c.id in seen:
            raise ValueError(f"candidate {c.id} given twice")
        seen.add(c.id)
        if c.street_id is None or not 0 <= c.full_members < params.min_full_members:
            continue
        by_street.setdefault(c.street_id, []).append(c)
    total = sum(len(cs) for cs in by_street.values())
    stats.candidates = total
    unlimited = method == "exact" and time_limit_s is None
    deadline = started + (time_limit_s if time_limit_s is not None else DEFAULT_TIME_LIMIT)
    result: list[Group] = []
    for street_id in sorted(by_street):
        p = _Problem(by_street[street_id], params, declined_sets)
        for part in sorted(p.components(), key=len):
            stats.components += 1
            stats.largest_component = max(stats.largest_component, len(part))
            bound = p.coverage_bound(part)
            stats.coverage_bound += bound
            if bound == 0:
                stats.empty_components += 1
                continue
            part_started = time.perf_counter()
            if method == "heuristic" or (method == "auto" and len(part) > exact_max_units):
                stats.heuristic_components += 1
                lns_seconds = LNS_SECONDS + LNS_SECONDS_PER_UNIT * len(part)
                lns_deadline = min(deadline, part_started + lns_seconds)
                search = _Search(
                    p, part, deadline=deadline, lns_deadline=lns_deadline, seed=seed, workers=workers
                )
                groups = search.run(restarts_until=part_started + lns_seconds / 2)
            else:
                hint: list[list[int]] = []
                if method == "auto":
                    restarts_until = min(deadline, time.perf_counter() + RESTART_SECONDS)
                    hint = _Search(p, part, deadline=deadline, seed=seed, window=0).run(
                        restarts_until=restarts_until
                    )
                left = deadline - time.perf_counter()
                cap = left if method == "exact" else min(EXACT_SECONDS, left)
                limit = None if unlimited else max(0.05, cap)
                groups, optimal = _solve_exact(p, part, time_limit_s=limit, workers=workers, hint=hint)
                if hint and _score(p, hint) > _score(p, groups):
                    groups, optimal = hint, False
                if method == "auto" and not optimal:
                    # Not proven in time: polish with the local search and CP-SAT windows.
                    polish_deadline = min(deadline, time.perf_counter() + POLISH_SECONDS)
                    search = _Search(p, part, deadline=polish_deadline, seed=seed, workers=workers)
                    polished = search.polish(groups)
                    if _score(p, polished) > _score(p, groups):
                        groups = polished
                stats.exact_components += optimal
            # Every group is checked once more (size, members, distances, declined sets).
            result += [p.group(g) for g in groups if p.valid(g)]
    result.sort(key=lambda g: (g.street_id, -len(g.unit_ids), g.unit_ids))
    stats.groups = len(result)
    stats.covered = sum(len(g.unit_ids) for g in result)
    stats.seconds = time.perf_counter() - started
    return result


def _score(p: _Problem, groups: Sequence[Sequence[int]]) -> tuple[int, float]:
    """Higher is better: (units covered, minus the cost)."""
    return sum(len(g) for g in groups), -sum(p.group_cost(g)[0] for g in groups)


def exact_plan(
    candidates: Iterable[Candidate],
    params: PlanParams | None = None,
    *,
    declined: Iterable[Collection[int]] = (),
    time_limit_s: float | None = None,
    workers: int = 8,
    stats: PlanStats | None = None,
) -> list[Group]:
    """The exact optimum (CP-SAT on every component, lexicographic), for benchmarks and tests;
    with ``time_limit_s``, the best plan found in that time (``stats.exact_components`` says how
    many components were proven optimal)."""
    return plan(
        candidates,
        params,
        declined=declined,
        method="exact",
        time_limit_s=time_limit_s,
        workers=workers,
        stats=stats,
    )


# --- checking a group (staff edits) -------------------------------------------------------------


def make_group(candidates: Sequence[Candidate], params: PlanParams | None = None) -> Group:
    """The ``Group`` of these units: lead unit, centre and total distance (valid or not)."""
    if not candidates:
        raise ValueError("a group needs at least one unit")
    p = _Problem(candidates, params or PlanParams(), ())
    return p.group(list(range(p.n)))


def group_problems(
    candidates: Sequence[Candidate],
    params: PlanParams | None = None,
    *,
    declined: Iterable[Collection[int]] = (),
) -> list[str]:
    """Why these units cannot form a joint branch (empty list: they can). Codes:
    "too_few_units", "too_many_units", "too_few_members", "several_streets", "too_far",
    "declined", "duplicate"."""
    params = params or PlanParams()
    problems = []
    ids = [c.id for c in candidates]
    if len(set(ids)) != len(ids):
        problems.append("duplicate")
    if len(candidates) < 2:
        problems.append("too_few_units")
    if len(candidates) > params.max_units:
        problems.append("too_many_units")
    if sum(c.full_members for c in candidates) < params.min_full_members:
        problems.append("too_few_members")
    if len({c.street_id for c in candidates}) > 1 or any(c.street_id is None for c in candidates):
        problems.append("several_streets")
    if not math.isinf(params.max_distance_km) and any(
        distance_km(a.lat, a.lng, b.lat, b.lng) > params.max_distance_km
        for a, b in itertools.combinations(candidates, 2)
    ):
        problems.append("too_far")
    if frozenset(ids) in {frozenset(s) for s in declined}:
        problems.append("declined")
    return problems
