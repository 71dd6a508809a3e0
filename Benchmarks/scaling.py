#!/usr/bin/env python3
"""How luban's cost grows with the size of the records: Benchmarks/run.py at 0.2, 1, 5 and 20
million marks (scales 0.04, 0.2, 1 and 4), then a chart of time and peak memory against size.

    python3 Benchmarks/scaling.py                      # all four sizes (the 20-million run takes a while)
    python3 Benchmarks/scaling.py --scales 0.04 0.2    # a quick look
    python3 Benchmarks/scaling.py --chart-only         # redraw from the saved measurements

Writes Benchmarks/scaling.json (the measurements) and Benchmarks/scaling.png (log-log: time and
memory against marks, luban solid, sqlite3 dashed where it has a counterpart). Needs matplotlib
(pip install matplotlib). Not part of CI.
"""
import argparse, json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SAVED = os.path.join(HERE, "scaling.json")


def measure(scales):
    runs = []
    for scale in scales:
        out = os.path.join(HERE, f".scaling-{scale}.json")
        print(f"scale {scale} ...", file=sys.stderr)
        subprocess.run([sys.executable, os.path.join(HERE, "run.py"), "--scale", str(scale), "--json", out], check=True, stdout=subprocess.DEVNULL)
        with open(out) as f:
            runs.append(json.load(f))
        os.remove(out)
    with open(SAVED, "w") as f:
        json.dump(runs, f, indent=1)
    return runs


def short(step):
    return step.split(" (")[0].replace("trainee import", "roster import").replace("attend --csv", "roll-call import")


def chart(runs):
    import matplotlib
    import matplotlib.ticker
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = sorted(runs, key=lambda r: r["marks"])
    marks = [r["marks"] for r in runs]
    names = [s["step"] for s in runs[-1]["steps"] if ", against" not in s["step"]]  # a second yardstick, same luban figures
    fig, (time_ax, mem_ax) = plt.subplots(1, 2, figsize=(14, 6))
    colours = [plt.cm.tab20(i) for i in range(0, 20, 2)] + [plt.cm.tab20(i) for i in range(1, 20, 2)]
    for k, name in enumerate(names):
        key = short(name).split(" C")[0]  # eligibility/certify name their cohort, which differs by scale
        series = [next((s for s in r["steps"] if short(s["step"]).split(" C")[0] == key), None) for r in runs]
        if any(s is None for s in series):
            continue
        colour = colours[k % len(colours)]
        time_ax.plot(marks, [s["luban_s"] for s in series], "o-", color=colour, label=key)
        mem_ax.plot(marks, [s["luban_mib"] for s in series], "o-", color=colour, label=key)
        if all(s["sqlite_s"] for s in series):
            time_ax.plot(marks, [s["sqlite_s"] for s in series], "x--", color=colour, alpha=0.7, label=f"{key}: sqlite3")
    # What growing as fast as the data would look like, for reference.
    first = min(s["luban_s"] for s in runs[0]["steps"] if s["rows"] and s["rows"] > 1)
    time_ax.plot(marks, [first * m / marks[0] for m in marks], ":", color="grey", label="grows as the data (slope 1)")
    for ax, title, unit in [(time_ax, "time", "seconds"), (mem_ax, "peak memory", "MiB")]:
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("attendance marks in the records")
        ax.set_ylabel(unit)
        ax.set_title(f"luban {title} against size")
        ax.grid(True, which="both", alpha=0.3)
    # Memory in plain MiB, with the ceiling for any import.
    mem_ax.axhline(64, color="red", linestyle=":", label="64 MiB: the most any import may use")
    mem_ax.set_yticks([16, 24, 32, 48, 64, 96])
    mem_ax.yaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
    mem_ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    mem_ax.set_ylim(14, 140)
    time_ax.legend(fontsize=7, loc="upper left")
    mem_ax.legend(fontsize=7, loc="upper left", ncol=2)
    fig.tight_layout()
    path = os.path.join(HERE, "scaling.png")
    fig.savefig(path, dpi=90)
    print(f"wrote {path}", file=sys.stderr)


def table(runs):
    runs = sorted(runs, key=lambda r: r["marks"])
    head = "| step | " + " | ".join(f"{r['marks']:,} marks" for r in runs) + " |"
    lines = [head, "|---|" + "---:|" * len(runs)]
    for name in [s["step"] for s in runs[-1]["steps"] if ", against" not in s["step"]]:
        key = short(name).split(" C")[0]
        cells = []
        for r in runs:
            s = next((s for s in r["steps"] if short(s["step"]).split(" C")[0] == key), None)
            if s is None:
                cells.append("")
                continue
            rate = f", {s['rows'] / s['luban_s']:,.0f}/s" if s["rows"] and s["rows"] > 1 else ""
            ratio = f", ×{s['luban_s'] / s['sqlite_s']:.2f} sqlite3" if s["sqlite_s"] else ""
            cells.append(f"{s['luban_s'] * 1000:,.0f} ms{rate}, {s['luban_mib']:.0f} MiB{ratio}")
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    print("\n".join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", type=float, nargs="+", default=[0.04, 0.2, 1, 4])
    ap.add_argument("--chart-only", action="store_true")
    args = ap.parse_args()
    if args.chart_only:
        with open(SAVED) as f:
            runs = json.load(f)
    else:
        runs = measure(args.scales)
    table(runs)
    chart(runs)


if __name__ == "__main__":
    main()
