"""Stage 1, inputs: YAML and Excel read with the place of every value (``sources``), the typed
model (``model``), loading into one ``Inputs`` with located findings (``load``), and what is
generated from the model (``schema``, ``reference``)."""
