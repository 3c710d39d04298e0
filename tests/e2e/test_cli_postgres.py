"""The CLI's end-to-end tests (test_cli.py) once more with the store on PostgreSQL (issue 9: every
`warden` command works against PostgreSQL). Each CliCase class of test_cli.py is subclassed with
`on_postgres`: a fresh database on the shared CTest cluster (WARDEN_TEST_POSTGRES_URL_FILE) per
class, wardend started with `--database URL`, every CLI call given `--database URL` (or
WARDEN_DATABASE), and the store read through psql. The data directory still holds the secret;
no SQLite store may appear in it. Without PostgreSQL the tests skip outside CI and fail with
CI=true. (password_commands is no CliCase: `hash` and `verify` open no store.)"""
import os
import unittest

import test_cli
from test_servers import shared_postgres


class on_postgres:
    """Mixin for a CliCase: the store is a fresh PostgreSQL database, dropped after the class."""

    @classmethod
    def create_database(cls):
        cls.postgres = shared_postgres(cls)
        url = cls.postgres.create_database()
        cls.addClassCleanup(cls.postgres.drop_database, url)
        return url

    def query_value(self, sql):
        out = self.postgres.psql("SET client_encoding TO 'UTF8'; " + sql, database=self.database.rsplit("/", 1)[1])
        return out.splitlines()[0] if out else None

    @classmethod
    def tearDownClass(cls):
        leftover = [n for n in ("warden.db", "warden.db-wal") if os.path.exists(os.path.join(cls.data_dir, n))]
        super().tearDownClass()  # stops wardend and removes the data dir
        assert not leftover, f"a SQLite store appeared beside a PostgreSQL one: {leftover}"


class user_commands_postgres(on_postgres, test_cli.user_commands):
    pass


class token_commands_postgres(on_postgres, test_cli.token_commands):
    pass


class import_commands_postgres(on_postgres, test_cli.import_commands):
    pass


class database_commands_postgres(on_postgres, test_cli.database_commands):
    pass


class every_cli_case_has_a_postgres_variant(unittest.TestCase):
    def test_no_cli_case_is_left_out(self):
        cases = {c for c in vars(test_cli).values()
                 if isinstance(c, type) and issubclass(c, test_cli.CliCase) and c is not test_cli.CliCase}
        covered = {base for c in globals().values()
                   if isinstance(c, type) and issubclass(c, on_postgres) for base in c.__bases__}
        self.assertEqual({c.__name__ for c in cases - covered}, set(),
                         "add a <name>_postgres class for each CliCase of test_cli.py")


if __name__ == "__main__":
    unittest.main()
