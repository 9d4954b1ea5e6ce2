from django.apps import AppConfig


class FieldFormsConfig(AppConfig):
    name = "peaceops.fieldforms"
    label = "fieldforms"
    verbose_name = "Field forms"
