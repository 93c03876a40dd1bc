"""`make bench`: NLU quality, REST latency, training time and memory, in one run.

`python -m bench` writes docs/benchmarks.md, docs/benchmarks/*.png and the raw
figures in results/bench.json. `--quick` is for development: fewer users and
turns, no training (uses models/), the reference assistant cached in results/.
"""
