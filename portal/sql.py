"""SQL expressions the ORM lacks, written once for both databases the portal runs on."""

import json

from django.db.models import BooleanField, Expression, F


class AmongIds(Expression):
    """`column IN (ids)` with the whole list sent as ONE query parameter.

    Django's `__in=[...]` writes one placeholder per id; with tens of thousands of ids the
    query text alone costs more to build, send and plan than the query takes to run. Here
    PostgreSQL gets an integer array (`= ANY`, which it hashes), SQLite a JSON array read by
    `json_each` (and SQLite's limit on the number of parameters does not apply).
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, ids):
        super().__init__()
        self.column = F(column)
        self.ids = [int(pk) for pk in ids]

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        return f"{column} IN (SELECT value FROM json_each(%s))", (*params, json.dumps(self.ids))

    def as_postgresql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        # The array as its text form: quicker than letting the driver quote each element.
        array = "{" + ",".join(map(str, self.ids)) + "}"
        return f"{column} = ANY(%s::integer[])", (*params, array)
