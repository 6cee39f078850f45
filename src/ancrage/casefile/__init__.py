"""The person's file as a whole: what sits above ``people``, ``support``, ``activities``… and puts
their records together (the timeline). No models; nothing below imports it."""
