"""Use cases: one module per job, typed request in, typed result out; all wiring happens here."""
