"""Where the settings come from (the chosen secrets source) and what every secret must pass."""
