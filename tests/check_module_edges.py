"""Fails when a module includes a warden header it may not depend on (DESIGN.md "Architecture").

Checks every file under src/<module>/ and include/warden/<module>/ (and the umbrella headers) for
`#include <warden/...>` and `#include "<module>/..."` edges outside the allowed set.
"""
import pathlib
import re
import sys

ALLOWED = {
    "core": {"core"},
    "jwt": {"core", "jwt"},
    "password": {"core", "password"},
    "store": {"core", "store"},
    "auth": {"core", "jwt", "password", "store", "auth"},
    "http": {"core", "http"},
}
INCLUDE = re.compile(r'#\s*include\s*[<"](?:warden/)?(core|jwt|password|store|auth|http|app)[/.]')


def main(root):
    root = pathlib.Path(root)
    bad = []
    for module, allowed in ALLOWED.items():
        files = [root / "include" / "warden" / f"{module}.hpp"]
        for base in (root / "src" / module, root / "include" / "warden" / module):
            files += [p for p in base.rglob("*") if p.suffix in (".hpp", ".cpp")]
        for path in files:
            for number, line in enumerate(path.read_text().splitlines(), 1):
                match = INCLUDE.search(line)
                if match and match.group(1) not in allowed:
                    bad.append(f"{path.relative_to(root)}:{number}: {module} may not include {match.group(1)}")
    for line in bad:
        print(line)
    print(f"{len(bad)} forbidden module edges")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
