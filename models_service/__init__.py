"""PitchLab's model engine. A plain Python package: it never imports django or pitchlab."""
