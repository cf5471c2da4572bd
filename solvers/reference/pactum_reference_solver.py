#!/usr/bin/env python3
"""pactum's reference external solver (docs/PROTOCOL.md, "Solver API").

Usage: pactum_reference_solver.py --port P [--delay-ms D] [--mode normal|garbage|break-rule]
Serves POST requests on 127.0.0.1:P (P = 0: any free port). The first line it prints is
"listening on PORT". Needs Debian's python3-pulp and coinor-cbc (scripts/setup.sh).

How it works (the rules are docs/MECHANISMS.md's, section 5 and "Quality"):

1. A mixed-integer program over the price vector and the fills, solved by CBC through PuLP.
   Amounts are scaled per asset (a power of ten near its typical swap size) so that the
   floating-point model is well conditioned. Prices live in a box around reference prices
   (pools' spot prices along the pool graph, else the swaps' limits). Per swap, binaries:
   "fills in full" (z) and, for swaps that allow partial fills, "at its limit" (m, then any
   fraction). The products z*p are linearised exactly with McCormick's inequalities over
   the box. A partial swap that does not fill in full must be at or out of the money (the
   market-clearing rule); one that fills must be at or in it. Per pool and direction a
   binary allows a value flow in [0, cap(p) - margin], cap linear in p (the pool is
   liquidity at the batch price; the margin leaves room for integer rounding). Value is
   conserved per asset. Objective: CoW trader surplus, sum over full fills of
   S p_sell - B p_buy.
2. Exact prices and flows. The MILP's answer is read as a pattern (per swap: in full, a
   fraction exactly at its limit, or nothing; per pool: a flow in one direction), and the
   prices and flows are solved again exactly (Gaussian elimination over fractions.Fraction)
   from the linear conditions of that pattern: value balances per asset, swaps within a
   relative 1e-6 of their limit sit exactly on it, unknowns the system leaves free keep
   the MILP's values. A swap that crosses its limit is pinned on it, a flow that leaves
   its range is pinned at the bound (the pool's capacity is linear in the prices too),
   and the system is solved again.
3. The vector is scaled to coprime integers (it is defined up to a factor).
4. Integers, rounding against the traders and in favour of the pools: a trader pays ceil
   and receives floor of its exact amounts (the exact side of a full fill is exact); a
   pool takes floor of its exact intake and gives ceil of its exact output (within the
   "one unit of each asset" rule; the margin keeps it above its curve). So per asset the
   integer supply is at least the demand, and the rest is dust (>= 0).
5. Every rule the producer checks is checked again here, exactly (limits, fill-or-kill,
   one unit of rounding, market clearing, conservation with dust >= 0, pool curves and
   pool prices). If anything fails, the proposal is retried without pools, and failing
   that the solver proposes nothing (always valid).

--mode garbage answers a body that is not JSON; --mode break-rule answers a well-formed
proposal that fills one swap at its limit with no counterparty (conservation fails), so
tests can use this program as a misbehaving solver too. --delay-ms sleeps before answering.
"""

import argparse
import json
import math
import sys
import threading
import time
from fractions import Fraction
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    import pulp
except ImportError:  # the server still answers (garbage/break-rule need no solver)
    pulp = None

BOX = 1.5  # prices within [r/BOX, r*BOX] of the reference prices
TIE = 1e-6  # relative distance to a limit under which a swap is tied at it exactly (CBC prints ~8 digits)
BPS = 10000


# ---------------------------------------------------------------- the instance


class Swap:
    def __init__(self, j):
        self.id = j["id"]
        self.sell = j["sell_asset"]
        self.buy = j["buy_asset"]
        self.side = j["side"]
        self.S = int(j["sell_amount"])
        self.B = int(j["buy_amount"])
        self.partial = bool(j["partial"])


class Pool:
    def __init__(self, j):
        self.a = j["asset_a"]
        self.b = j["asset_b"]
        self.x = int(j["reserve_a"])
        self.y = int(j["reserve_b"])
        self.fee = int(j["fee_bps"])
        self.gamma = Fraction(BPS - self.fee, BPS)


def asset_scales(assets, swaps):
    """A power of ten per asset near its median swap amount (1 when no swap names it)."""
    sizes = {a: [] for a in assets}
    for s in swaps:
        sizes[s.sell].append(s.S)
        sizes[s.buy].append(s.B)
    scale = {}
    for a, v in sizes.items():
        v = sorted(x for x in v if x > 0)
        scale[a] = 10 ** max(0, len(str(v[len(v) // 2])) - 1) if v else 1
    return scale


def reference_prices(assets, swaps, pools, scale):
    """Scaled reference prices: spot prices along pools, else swap limits, else 1."""
    edges = {a: [] for a in assets}  # (other, price of other relative to a)
    for p in pools:
        xa, yb = p.x / scale[p.a], p.y / scale[p.b]
        edges[p.a].append((p.b, xa / yb))  # p_b/p_a = x/y at the spot
        edges[p.b].append((p.a, yb / xa))
    for s in swaps:
        ss, bb = s.S / scale[s.sell], s.B / scale[s.buy]
        edges[s.sell].append((s.buy, ss / bb))  # p_buy/p_sell at the limit
        edges[s.buy].append((s.sell, bb / ss))
    ref = {}
    for root in sorted(assets):
        if root in ref:
            continue
        ref[root] = 1.0
        queue = [root]
        while queue:  # pools come first in the lists, so they set prices where they can
            a = queue.pop(0)
            for b, ratio in edges[a]:
                if b not in ref:
                    ref[b] = ref[a] * ratio
                    queue.append(b)
    return ref


# ---------------------------------------------------------------- 1. the MILP


def solve_milp(assets, swaps, pools, scale, use_pools, seconds):
    ref = reference_prices(assets, swaps, pools, scale)
    lo = {a: ref[a] / BOX for a in assets}
    hi = {a: ref[a] * BOX for a in assets}
    first = sorted(assets)[0]
    prob = pulp.LpProblem("pactum", pulp.LpMaximize)
    p = {a: pulp.LpVariable("p_" + a, lo[a], hi[a]) for a in assets}
    prob += p[first] == ref[first]
    out = {a: [] for a in assets}  # value leaving each asset
    inc = {a: [] for a in assets}
    surplus = []
    svars = []
    for i, s in enumerate(swaps):
        S, B = s.S / scale[s.sell], s.B / scale[s.buy]
        M = S * hi[s.sell] + B * hi[s.buy]
        gap = S * p[s.sell] - B * p[s.buy]  # > 0: in the money
        z = pulp.LpVariable(f"z{i}", cat="Binary")
        vs = pulp.LpVariable(f"vs{i}", 0)  # z * S * p_sell
        vb = pulp.LpVariable(f"vb{i}", 0)  # z * B * p_buy
        for v, amt, a in ((vs, S, s.sell), (vb, B, s.buy)):
            prob += v <= amt * hi[a] * z
            prob += v <= amt * p[a]
            prob += v >= amt * p[a] - amt * hi[a] * (1 - z)
        prob += gap >= -M * (1 - z)  # filled: at or in the money
        moved = vs if s.side == "sell" else vb
        w = m = None
        if s.partial:
            m = pulp.LpVariable(f"m{i}", cat="Binary")
            w = pulp.LpVariable(f"w{i}", 0)  # value of a fraction at the limit
            prob += z + m <= 1
            prob += gap <= M * z  # not in full: at or out of the money
            prob += gap >= -M * (1 - m) - M * z
            prob += w <= (S * hi[s.sell]) * m
            prob += w <= S * p[s.sell]
            out[s.sell].append(w)
            inc[s.buy].append(w)
        out[s.sell].append(moved)
        inc[s.buy].append(moved)
        surplus.append(vs - vb)
        svars.append((z, m, w))
    gvars = []
    for k, pl in enumerate(pools if use_pools else []):
        x, y = pl.x / scale[pl.a], pl.y / scale[pl.b]
        g = float(pl.gamma)
        for d, (take, give, rt, rg, mt, mg) in enumerate(
            ((pl.a, pl.b, x, y, 1 / scale[pl.a], 1 / scale[pl.b]), (pl.b, pl.a, y, x, 1 / scale[pl.b], 1 / scale[pl.a]))
        ):
            on = pulp.LpVariable(f"d{k}_{d}", cat="Binary")
            flow = pulp.LpVariable(f"g{k}_{d}", 0)
            cap = rg * p[give] - rt * p[take] / g  # value the pool gives at most, linear in p
            # Room for rounding (a few base units) and for the prices' last digits (CBC
            # prints about 8): the exact stage keeps only the few base units.
            margin = (8 * mg + 1e-6 * rg) * p[give] + 8 * mt * p[take] / g
            prob += flow <= cap - margin + rg * hi[give] * (1 - on)
            prob += flow <= rg * hi[give] * on
            inc[take].append(flow)  # the pool takes `take`: value arrives in it from traders
            out[give].append(flow)
            gvars.append((pl, take, give, on, flow))
    for a in assets:
        prob += pulp.lpSum(out[a]) == pulp.lpSum(inc[a])
    prob += pulp.lpSum(surplus)
    status = prob.solve(pulp.COIN_CMD(msg=0, timeLimit=max(0.1, seconds), gapRel=1e-7))
    if pulp.LpStatus.get(status) != "Optimal" and getattr(prob, "sol_status", 0) not in (1, 2):
        return None  # no integer solution (a time limit with one found still counts)
    price = {a: p[a].value() for a in assets}
    if any(v is None or v <= 0 for v in price.values()):
        return None
    fills = []
    for s, (z, m, w) in zip(swaps, svars):
        fz = round(z.value() or 0)
        fw = w.value() if w is not None else 0
        fills.append((fz, fw or 0))
    flows = [(pl, take, give, max(0.0, flow.value() or 0)) for pl, take, give, on, flow in gvars]
    return price, fills, flows


# ---------------------------------------------------------------- 2-3. exact prices and flows


def rref_solve(equations, order, start):
    """A solution of the homogeneous linear `equations` (dicts unknown -> Fraction):
    reduced row echelon form over the columns in `order`; every column without a pivot
    keeps its `start` value. Exact (Fractions)."""
    rows = [[Fraction(e.get(u, 0)) for u in order] for e in equations]
    pivots = []
    r = 0
    for c in range(len(order)):
        pr = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pr is None:
            continue
        rows[r], rows[pr] = rows[pr], rows[r]
        inv = 1 / rows[r][c]
        rows[r] = [x * inv for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                f = rows[i][c]
                rows[i] = [x - f * y for x, y in zip(rows[i], rows[r])]
        pivots.append((r, c))
        r += 1
    basic = {c for _, c in pivots}
    value = {u: start[u] for i, u in enumerate(order) if i not in basic}
    for ri, col in pivots:
        row = rows[ri]
        value[order[col]] = -sum((row[i] * value[order[i]] for i in range(len(order)) if i not in basic), Fraction(0))
    return value


class Pattern:
    """The MILP's answer as exact linear conditions: per swap in full, a fraction at its
    limit, or nothing; per pool a flow in one direction. Prices and flows are unknowns of
    one homogeneous linear system (balance per asset, ties at limits, flows at bounds)."""

    def __init__(self, assets, swaps, price, scale, milp_fills, milp_flows):
        self.assets, self.swaps = sorted(assets), swaps
        self.start = {"p:" + a: Fraction(price[a]) / scale[a] for a in assets}
        self.kind = []  # per swap: "full", "fraction", "none"
        self.ties = set()
        for i, (s, (z, w)) in enumerate(zip(swaps, milp_fills)):
            gap = s.S * price[s.sell] / scale[s.sell] - s.B * price[s.buy] / scale[s.buy]
            near = abs(gap) <= TIE * s.S * price[s.sell] / scale[s.sell]
            if z:
                self.kind.append("full")
            elif s.partial and (w > 0 or near):
                self.kind.append("fraction")
                self.start[f"v:{i}"] = Fraction(w)
            else:
                self.kind.append("none")
            if near and (s.partial or z):
                self.ties.add(i)
        self.flows = []
        for k, (pl, take, give, flow) in enumerate(milp_flows):
            if flow > 0:
                self.flows.append((pl, take, give))
                self.start[f"g:{len(self.flows) - 1}"] = Fraction(flow)
        self.pinned = {}  # unknown -> "low" | "high"

    def gap(self, i):
        s = self.swaps[i]
        return {"p:" + s.sell: s.S, "p:" + s.buy: -s.B}

    def upper(self, u):
        """The upper bound of a flow unknown as a linear form (homogeneous in prices)."""
        if u.startswith("v:"):
            s = self.swaps[int(u[2:])]
            return {"p:" + s.sell: s.S - 1} if s.side == "sell" else {"p:" + s.buy: s.B - 1}
        pl, take, give = self.flows[int(u[2:])]
        rt, rg = (pl.x, pl.y) if take == pl.a else (pl.y, pl.x)
        return {"p:" + give: rg - 8, "p:" + take: -(rt + 8) / pl.gamma}

    def equations(self):
        eqs = []
        for a in self.assets:  # value out of a = value into a
            e = {}
            for i, s in enumerate(self.swaps):
                if self.kind[i] == "none" or a not in (s.sell, s.buy):
                    continue
                sign = 1 if a == s.sell else -1
                if self.kind[i] == "full":
                    u, c = ("p:" + s.sell, s.S) if s.side == "sell" else ("p:" + s.buy, s.B)
                    e[u] = e.get(u, 0) + sign * c
                else:
                    e[f"v:{i}"] = sign
            for k, (pl, take, give) in enumerate(self.flows):
                if a in (take, give):
                    e[f"g:{k}"] = -1 if a == take else 1
            eqs.append(e)
        eqs += [self.gap(i) for i in sorted(self.ties)]
        for u, side in self.pinned.items():
            if side == "low":
                eqs.append({u: 1})
            else:
                e = {k: -c for k, c in self.upper(u).items()}
                e[u] = 1
                eqs.append(e)
        return eqs

    def solve(self):
        """Exact prices and flows, or None. Repairs (a tie, a pinned bound) and solves again."""
        flows = sorted(u for u in self.start if not u.startswith("p:"))
        order = flows + ["p:" + a for a in self.assets]
        for _ in range(3 * len(order) + 4):
            x = rref_solve(self.equations(), order, self.start)
            if any(x["p:" + a] <= 0 for a in self.assets):
                return None
            repair = self.repair(x, flows)
            if repair is None:
                return x
            if not repair:
                return None
        return None

    def repair(self, x, flows):
        """None when x obeys the pattern; else True after adding conditions (False: stuck)."""
        def value(form):
            return sum((c * x[u] for u, c in form.items()), Fraction(0))

        changed = False
        for i, s in enumerate(self.swaps):
            g = value(self.gap(i))
            crossed = (self.kind[i] == "full" and g < 0) or (s.partial and self.kind[i] == "none" and g > 0)
            if crossed and i not in self.ties:
                self.ties.add(i)
                changed = True
        for u in flows:
            if u in self.pinned:
                continue
            if x[u] < 0:
                self.pinned[u], changed = "low", True
            elif x[u] > value(self.upper(u)):
                self.pinned[u], changed = "high", True
        bad = any(
            (self.kind[i] == "full" and value(self.gap(i)) < 0)
            or (s.partial and self.kind[i] == "none" and value(self.gap(i)) > 0)
            for i, s in enumerate(self.swaps)
        ) or any(x[u] < 0 or x[u] > value(self.upper(u)) for u in flows)
        if not bad:
            return None
        return changed


def exact_solution(assets, swaps, price, scale, milp_fills, milp_flows):
    """(prices, value per swap, pool flows) exactly, or None."""
    pattern = Pattern(assets, swaps, price, scale, milp_fills, milp_flows)
    x = pattern.solve()
    if x is None:
        return None
    p = {a: x["p:" + a] for a in assets}
    values = []
    for i, s in enumerate(swaps):
        if pattern.kind[i] == "full":
            values.append(s.S * p[s.sell] if s.side == "sell" else s.B * p[s.buy])
        elif pattern.kind[i] == "fraction":
            values.append(x[f"v:{i}"])
        else:
            values.append(Fraction(0))
    flows = [(pl, take, give, x[f"g:{k}"]) for k, (pl, take, give) in enumerate(pattern.flows) if x[f"g:{k}"] > 0]
    return p, values, flows


def coprime_integers(p):
    """The same vector as coprime integers (a vector is defined up to a factor)."""
    den = 1
    for v in p.values():
        den = den * v.denominator // math.gcd(den, v.denominator)
    ints = {a: v.numerator * (den // v.denominator) for a, v in p.items()}
    g = 0
    for v in ints.values():
        g = math.gcd(g, v)
    return {a: Fraction(v // g) for a, v in ints.items()}


# ---------------------------------------------------------------- 4. integers


def ceil_div(f):
    return -((-f.numerator) // f.denominator)


def floor_div(f):
    return f.numerator // f.denominator


def integer_amounts(swaps, p, values, flows):
    fills = {}
    for s, value in zip(swaps, values):
        if value == 0:
            continue
        P = p[s.sell] / p[s.buy]
        full_value = s.S * p[s.sell] if s.side == "sell" else s.B * p[s.buy]
        if value == full_value and s.side == "sell":
            fills[s.id] = (s.S, floor_div(s.S * P))
        elif value == full_value:
            fills[s.id] = (ceil_div(s.B / P), s.B)
        else:
            x = value / p[s.sell]  # exact amount sold
            fills[s.id] = (ceil_div(x), floor_div(x * P))
    reserves = {}
    for pl, take, give, g in flows:
        taken, given = floor_div(g / p[take]), ceil_div(g / p[give])
        ra, rb = (pl.x + taken, pl.y - given) if take == pl.a else (pl.x - given, pl.y + taken)
        reserves[(pl.a, pl.b)] = (ra, rb)
    return fills, reserves


# ---------------------------------------------------------------- 5. the rules, again


def violations(swaps, pools, p, fills, reserves):
    """Every rule the producer checks on these amounts; [] when the proposal is valid."""
    bad = []
    net = {}
    for s in swaps:
        P = p[s.sell] / p[s.buy]
        sold, bought = fills.get(s.id, (0, 0))
        full = (sold == s.S) if s.side == "sell" else (bought == s.B)
        if s.id in fills:
            net[s.sell] = net.get(s.sell, 0) + sold
            net[s.buy] = net.get(s.buy, 0) - bought
            if not full and not s.partial:
                bad.append(f"fill_or_kill {s.id}")
            if sold > s.S or (s.side == "buy" and bought > s.B):
                bad.append(f"limit (size) {s.id}")
            if full and ((s.side == "sell" and bought < s.B) or (s.side == "buy" and sold > s.S)):
                bad.append(f"limit {s.id}")
            if P * s.S < s.B:
                bad.append(f"limit (price) {s.id}")
            exact_sold, exact_bought = full and s.side == "sell", full and s.side == "buy"
            lowest = P * (sold if exact_sold else sold - 1)
            if bought > P * sold or (bought <= lowest if exact_bought else bought + 1 <= lowest):
                bad.append(f"off_price {s.id}")
        if s.partial and not (s.id in fills and full) and s.S * p[s.sell] > s.B * p[s.buy]:
            bad.append(f"in_the_money {s.id}")
    for pl in pools:
        if (pl.a, pl.b) not in reserves:
            continue
        ra, rb = reserves[(pl.a, pl.b)]
        da, db = ra - pl.x, rb - pl.y
        net[pl.a] = net.get(pl.a, 0) - da
        net[pl.b] = net.get(pl.b, 0) - db
        keep = BPS - pl.fee
        w = lambda d: keep * d if d > 0 else BPS * d  # noqa: E731
        if ra <= 0 or rb <= 0 or (BPS * pl.x + w(da)) * (BPS * pl.y + w(db)) < BPS * BPS * pl.x * pl.y:
            bad.append(f"pool_curve {pl.a}/{pl.b}")
        if p[pl.a] * da + p[pl.b] * db < -(p[pl.a] + p[pl.b]):
            bad.append(f"pool_price {pl.a}/{pl.b}")
    bad += [f"conservation {a}" for a, d in net.items() if d < 0]  # the rest is dust
    return bad


# ---------------------------------------------------------------- the solver


def proposal(prices, fills, reserves):
    return {
        "prices": [{"asset": a, "num": str(v.numerator), "den": str(v.denominator)} for a, v in sorted(prices.items())],
        "fills": [{"id": i, "sold": str(s), "bought": str(b)} for i, (s, b) in sorted(fills.items())],
        "pools": [
            {"asset_a": a, "asset_b": b, "reserve_a": str(ra), "reserve_b": str(rb)}
            for (a, b), (ra, rb) in sorted(reserves.items())
        ],
    }


EMPTY = {"prices": [], "fills": [], "pools": []}


def attempt(assets, swaps, pools, scale, use_pools, seconds):
    milp = solve_milp(assets, swaps, pools, scale, use_pools, seconds)
    if milp is None:
        return None
    price, milp_fills, milp_flows = milp
    exact = exact_solution(assets, swaps, price, scale, milp_fills, milp_flows)
    if exact is None:
        return None
    p, values, flows = exact
    fills, reserves = integer_amounts(swaps, p, values, flows)
    if not fills or violations(swaps, pools, p, fills, reserves):
        return None
    p = coprime_integers(p)
    if any(v.numerator >= 2**256 for v in p.values()):
        return None
    return proposal(p, fills, reserves)


def solve(instance, seconds):
    swaps = [Swap(j) for j in instance["swaps"]]
    pools = [Pool(j) for j in instance["pools"]]
    assets = [a["symbol"] for a in instance["assets"]]
    if not swaps or pulp is None:
        return EMPTY
    scale = asset_scales(assets, swaps)
    for use_pools in (True, False):
        try:
            answer = attempt(assets, swaps, pools, scale, use_pools, seconds)
        except Exception as e:  # noqa: BLE001 (a numerical or solver failure: try the next way, then nothing)
            print(f"solver: {e}", file=sys.stderr)
            answer = None
        if answer is not None:
            return answer
    return EMPTY


def break_rule(instance):
    """Fills the first swap at exactly its limit with nobody on the other side."""
    if not instance["swaps"]:
        return EMPTY
    s = Swap(instance["swaps"][0])
    prices = {s.sell: Fraction(s.B), s.buy: Fraction(s.S)}  # p_sell/p_buy = B/S
    return proposal(prices, {s.id: (s.S, s.B)}, {})


# ---------------------------------------------------------------- HTTP


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):  # noqa: N802 (http.server's name)
        started = time.monotonic()
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        opts = self.server.options
        if opts.delay_ms:
            time.sleep(opts.delay_ms / 1000)
        if opts.mode == "garbage":
            return self.answer(200, b"this is not a proposal {", "text/plain")
        try:
            instance = json.loads(body)
        except ValueError:
            return self.answer(400, b'{"error":"the body is not JSON"}', "application/json")
        if opts.mode == "break-rule":
            reply = break_rule(instance)
        else:
            budget = max(0.05, instance.get("deadline_ms", 1000) / 1000 * 0.8 - (time.monotonic() - started))
            reply = solve_within(instance, budget)
        self.answer(200, json.dumps(reply).encode(), "application/json")

    def answer(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):  # quiet: the tests read stdout
        pass


def solve_within(instance, seconds):
    """solve(), or the empty proposal if it has not finished within `seconds`."""
    result = {}

    def work():
        result["answer"] = solve(instance, seconds * 0.4)  # two attempts at most, then the exact work

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(seconds)
    return result.get("answer", EMPTY)


def main():
    ap = argparse.ArgumentParser(description="pactum's reference external solver (docs/PROTOCOL.md, Solver API)")
    ap.add_argument("--port", type=int, required=True, help="port on 127.0.0.1 (0: any free port)")
    ap.add_argument("--delay-ms", type=int, default=0, help="sleep this long before answering")
    ap.add_argument("--mode", choices=("normal", "garbage", "break-rule"), default="normal")
    opts = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", opts.port), Handler)
    server.daemon_threads = True
    server.options = opts
    print(f"listening on {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
