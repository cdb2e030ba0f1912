"""The emulated city network: one Linux network namespace per device, real snmpd/lldpd/sshd.

Entry points: `netops lab` (cli/lab.py); `handle.start_lab` / `handle.LabHandle` for code;
`overlay` for the lab's drivers and credentials (applied only when the app chooses, netops.app.lab_use); `pytest_plugin` for the `lab` fixture.
See README.md in this folder for how declared port names are kept.
"""
