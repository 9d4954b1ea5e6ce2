"""What a locked-out sign-in gets on the OpenRosa server (peaceops.core.lockout collects `RESPONSES`)."""

from peaceops.fieldforms.openrosa import message

# ODK Collect shows an OpenRosa message, not a web page.
RESPONSES = [("/openrosa/", lambda request, text: message(429, text))]
