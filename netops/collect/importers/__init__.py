"""Importers: collectors that read what other tools and people saved instead of asking devices.

A PD technician's copy-paste, a contractor's zip of `show` outputs, SuzieQ's raw poller output,
N2G's `platform/host.txt` folders, NAPALM getter JSON: each is turned into the same NAPALM-shaped
`DeviceObservation` the live collectors give (local interface names canonical, device names short),
so every analysis runs on an imported snapshot as on a sweep.

- `saved`: the containers (files, folders, SuzieQ lists) -> `SavedOutput` pieces, each with the
  device, platform, command and format recognised;
- `platforms/`: one small module per platform family, each declaring the (command, format) pairs it
  parses behind one contract (`ParserSpec`);
- `registry`: finds the parser for a piece and turns a device's pieces into one observation,
  listing every piece it could not use (never silently dropped).
"""
