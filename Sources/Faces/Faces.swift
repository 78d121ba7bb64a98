// Faces module.
