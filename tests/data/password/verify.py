#!/usr/bin/python3
"""Checks hashes made by warden with passlib and argon2-cffi (run by password_test).

Usage: /usr/bin/python3 verify.py CASES.json
CASES.json: [{"hash": "...", "password": "..."}, ...]. Prints one JSON array: for each case,
{"passlib": bool, "argon2_cffi": bool or null (bcrypt hashes)}. Exit status 3 and a message on
stderr when a module is missing, 2 on bad usage.
"""
import json
import sys

try:
    import argon2
    from passlib.context import CryptContext
except ImportError as e:
    sys.stderr.write(f"missing Python module ({e}): install Debian's python3-passlib, "
                     "python3-argon2 and python3-bcrypt for /usr/bin/python3\n")
    sys.exit(3)

if len(sys.argv) != 2:
    sys.stderr.write("usage: verify.py CASES.json\n")
    sys.exit(2)

# The FastAPI tutorial's context, widened to the schemes warden produces.
context = CryptContext(schemes=["argon2", "bcrypt"], deprecated="auto")
hasher = argon2.PasswordHasher()

results = []
with open(sys.argv[1], encoding="utf-8") as f:
    cases = json.load(f)
for case in cases:
    hash_, password = case["hash"], case["password"]
    by_cffi = None
    if hash_.startswith("$argon2"):
        try:
            by_cffi = hasher.verify(hash_, password)
        except argon2.exceptions.VerifyMismatchError:
            by_cffi = False
    results.append({"passlib": context.verify(password, hash_), "argon2_cffi": by_cffi})
json.dump(results, sys.stdout)
