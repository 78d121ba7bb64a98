// Explorer module.
