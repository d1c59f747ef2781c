"""W1 peer: GUM H.1 with python-uncertainties (binary floats), one spec a line
in, one result a line out, as `metrotrace uncertainty evaluate --jsonl` does:
value, u_c, nu_eff (Welch-Satterthwaite over the error components), k from a
table of t-quantiles by floor(nu) (given, as a float library would take them
from scipy), U, interval, budget and the rounded statement.

usage: python3 h1_uncertainties.py SPECS.jsonl KTABLE.json > results.jsonl
"""
import json
import math
import sys

from uncertainties import ufloat

SQRT3 = math.sqrt(3.0)


def main():
    specs, ktable = sys.argv[1], sys.argv[2]
    with open(ktable) as f:
        k_of = {int(n): float(k) for n, k in json.load(f).items()}
    out = sys.stdout
    with open(specs) as f:
        for line in f:
            spec = json.loads(line)
            q = spec["quantities"]
            xs = {}
            dof = {}
            for name, v in q.items():
                u = float(v["halfWidth"]) / SQRT3 if "halfWidth" in v else float(v["u"])
                xs[name] = ufloat(float(v["value"]), u, name)
                dof[name] = float(v["dof"]) if "dof" in v else math.inf
            l_s, d, a_s, th, da, dt = (xs[n] for n in ("l_s", "d", "alpha_s", "theta", "delta_alpha", "delta_theta"))
            y = l_s + d - l_s * (da * th + a_s * dt)
            uc = y.std_dev
            comps = y.error_components()
            den = 0.0
            budget = []
            for name, x in xs.items():
                c = y.derivatives.get(x, 0.0)
                ci_u = abs(c) * x.std_dev
                if math.isfinite(dof[name]) and ci_u:
                    den += ci_u ** 4 / dof[name]
                budget.append({"quantity": name, "sensitivity": repr(c), "contribution": repr(ci_u), "share": repr(ci_u * ci_u / (uc * uc))})
            nu = uc ** 4 / den if den else math.inf
            k = k_of[max(1, int(nu))] if math.isfinite(nu) else k_of[0]
            U = k * uc
            dec = 1 - int(math.floor(math.log10(float("%.2g" % U))))
            stmt = "l = (%.*f ± %.*f) mm, k = %.3g, p ≈ 99 %%" % (dec, y.nominal_value, dec, float("%.2g" % U), k)
            out.write(json.dumps({"value": repr(y.nominal_value), "standardUncertainty": repr(uc), "effectiveDof": repr(nu), "coverageFactor": repr(k),
                                  "expandedUncertainty": repr(U), "interval": [repr(y.nominal_value - U), repr(y.nominal_value + U)], "reported": stmt, "budget": budget}) + "\n")


main()
