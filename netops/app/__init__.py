"""Use cases: one module per thing a user does, typed request in, typed result out.

Every interface (CLI, web, reports, the watch loop) calls these and only renders what they return;
the wiring (config, store, collectors, engines) happens here, never in a command or a route.
"""
