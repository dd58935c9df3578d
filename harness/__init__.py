"""What the tests, the scripts and the benchmarks share, so that none imports another.

* ``harness.model``: the trained model for the current config and data (trained when it
  changed), named by a hash of its inputs.
* ``harness.servers``: Steady's real action server and Rasa server started on free ports
  (end-to-end tests, ``scripts/bench.py``, the blind runs).
* ``harness.responses``: the response names the code says (``make validate`` and
  ``tests/test_copy.py``).

Development only: not part of the installed ``bot`` package or the images.
"""
