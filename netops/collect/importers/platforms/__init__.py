"""One module per platform family; each exports SPECS, the (command, format) pairs it reads."""
