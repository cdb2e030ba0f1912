"""Fast SNMP collection: our own v1/v2c client over one asyncio UDP socket, pysnmp for v3.

Public entry points: :func:`netops.collect.snmp.poll.poll_many` / :func:`run_poll`, and
:func:`netops.collect.snmp.normalize.normalize` to get NAPALM getter shapes.
"""
