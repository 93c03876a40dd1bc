"""Starts what the tests and the benchmark run against, outside the assistant.

- `harness.servers`: the real action server and Rasa server on free loopback
  ports (`Assistant`), and a count of Rasa starts in this process;
- `harness.services`: a real PostgreSQL and Redis on loopback;
- `harness.nlu_data`: training and held-out NLU data, parsing with a model.

Not part of the running assistant (`bot/` never imports it); `tests/` and
`bench/` both do, so the benchmark measures the servers the tests check.
"""
