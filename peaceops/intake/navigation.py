from django.utils.translation import gettext_lazy as _

NAVIGATION = [(_("Imports"), "intake:index", "intake.use")]
