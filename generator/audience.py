"""Who a build is for. Its own tiny module so the command line can offer the choices without importing the
pipeline (start-up time: ``valuemap --version`` must not load pydantic, Jinja2 and the model)."""

EXTERNAL = "external"
INTERNAL = "internal"
AUDIENCES = (EXTERNAL, INTERNAL)
