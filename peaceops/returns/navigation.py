from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    (_("Returned"), "returns:returned", "returns.view_counts"),
    (_("Flow counts"), "returns:flows", "returns.view_flows"),
    (_("Convoys"), "returns:convoy_list", "returns.view"),
    (_("Waiting list"), "returns:household_list", "returns.view"),
    (_("Possible duplicates"), "returns:duplicate_list", "returns.view"),
    (_("Corridors"), "returns:corridor_list", "returns.view"),
]
