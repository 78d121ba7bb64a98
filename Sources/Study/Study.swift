// Study module.
