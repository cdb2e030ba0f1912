"""The web portal (`netops serve`): PDs hand in diagrams and follow tickets; the Dinas's shared dashboard."""
