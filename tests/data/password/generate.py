#!/usr/bin/python3
"""Generates python_vectors.json: hashes made by Debian's python3-passlib and python3-argon2.

Run with Debian's interpreter (the modules are Debian packages):
    /usr/bin/python3 tests/data/password/generate.py > tests/data/password/python_vectors.json

Each vector holds a hash and the passwords that must match it ("match") and must not
("mismatch"), both checked here against the library that made the hash before they are written.
Salts are random, so every run gives new hashes; the expectations stay the same.
"""
import json
import sys
import warnings

try:
    import argon2
    import argon2.low_level
    import bcrypt as bcrypt_module
    import passlib
    from passlib.context import CryptContext
    from passlib.hash import argon2 as passlib_argon2
    from passlib.hash import bcrypt, bcrypt_sha256, pbkdf2_sha256
except ImportError as e:  # pragma: no cover
    sys.exit(f"missing Python module ({e}); install python3-passlib python3-argon2 python3-bcrypt")

warnings.simplefilter("error")  # a passlib warning would mean a vector is not what it claims

LONG = "0123456789" * 7 + "ab" + "-this-tail-is-beyond-byte-72"  # 100 bytes
assert len(LONG.encode()) == 100
EACUTE = "\u00e9" * 40  # 80 bytes, 2 per character
UNICODE = "p\u00e4ssw\u00f6rd-\u65e5\u672c\u8a9e-\U0001f511"
UNICODE_NFD = "pa\u0308sswo\u0308rd-\u65e5\u672c\u8a9e-\U0001f511"  # same text, other bytes
STAPLE = "correct horse battery staple"
COMMON_WRONG = ["", "wrong password", STAPLE.upper()]


def argon2_cffi_verify(password, hash_):
    try:
        return argon2.PasswordHasher().verify(hash_, password)
    except argon2.exceptions.VerifyMismatchError:
        return False


def argon2_low_level(password, type_, version, t, m, p, hash_len=32, salt_len=16):
    import os
    return argon2.low_level.hash_secret(
        password.encode(), os.urandom(salt_len), time_cost=t, memory_cost=m, parallelism=p,
        hash_len=hash_len, type=type_, version=version).decode()


vectors = []


def add(name, source, scheme, hash_, match, mismatch, check):
    for pw in match:
        assert check(pw, hash_), (name, "match")
    for pw in mismatch:
        assert not check(pw, hash_), (name, "mismatch")
    vectors.append({"name": name, "source": source, "scheme": scheme, "hash": hash_,
                    "match": match, "mismatch": mismatch})


# bcrypt (passlib with the `bcrypt` backend, as FastAPI's tutorial uses it)
b4 = bcrypt.using(rounds=4)
add("bcrypt_2b", "passlib.hash.bcrypt rounds=4", "bcrypt", b4.hash(STAPLE),
    [STAPLE], COMMON_WRONG + [STAPLE[:-1], STAPLE + " "], b4.verify)
add("bcrypt_2a", "passlib.hash.bcrypt ident=2a rounds=5", "bcrypt",
    bcrypt.using(rounds=5, ident="2a").hash(STAPLE), [STAPLE], COMMON_WRONG, b4.verify)
add("bcrypt_2y", "passlib.hash.bcrypt ident=2y rounds=5", "bcrypt",
    bcrypt.using(rounds=5, ident="2y").hash(STAPLE), [STAPLE], COMMON_WRONG, b4.verify)
add("bcrypt_unicode", "passlib.hash.bcrypt rounds=4", "bcrypt", b4.hash(UNICODE),
    [UNICODE], [UNICODE_NFD, ""], b4.verify)
add("bcrypt_short_password", "passlib.hash.bcrypt rounds=4", "bcrypt", b4.hash("secret"),
    ["secret"], ["secret ", "Secret", ""], b4.verify)
# passlib (truncate_error=False, its default) hashes the first 72 bytes of a longer password;
# every password with the same first 72 bytes matches.
add("bcrypt_long_password_truncated_by_passlib", "passlib.hash.bcrypt rounds=4", "bcrypt",
    b4.hash(LONG), [LONG, LONG[:72], LONG[:72] + "another tail"],
    [LONG[:71], LONG[:71] + "X"], b4.verify)
add("bcrypt_long_multibyte", "passlib.hash.bcrypt rounds=4", "bcrypt", b4.hash(EACUTE),
    [EACUTE, EACUTE[:36]], [EACUTE[:35]], b4.verify)
add("bcrypt_rounds_10", "passlib.hash.bcrypt rounds=10", "bcrypt",
    bcrypt.using(rounds=10).hash(STAPLE), [STAPLE], ["wrong password"], b4.verify)
tutorial = CryptContext(schemes=["bcrypt"], deprecated="auto")
add("bcrypt_fastapi_cryptcontext", 'CryptContext(schemes=["bcrypt"], deprecated="auto")',
    "bcrypt", tutorial.hash("secret"), ["secret"], ["wrong"], tutorial.verify)

# bcrypt_sha256 (v2 since passlib 1.7.3; v1 before)
bs4 = bcrypt_sha256.using(rounds=4)
add("bcrypt_sha256_v2", "passlib.hash.bcrypt_sha256 rounds=4", "bcrypt_sha256", bs4.hash(STAPLE),
    [STAPLE], COMMON_WRONG + [STAPLE[:-1]], bs4.verify)
add("bcrypt_sha256_v2_long_password", "passlib.hash.bcrypt_sha256 rounds=4", "bcrypt_sha256",
    bs4.hash(LONG), [LONG], [LONG[:72], LONG[:72] + "another tail", LONG + "x"], bs4.verify)
add("bcrypt_sha256_v2_unicode", "passlib.hash.bcrypt_sha256 rounds=4", "bcrypt_sha256",
    bs4.hash(UNICODE), [UNICODE], [UNICODE_NFD], bs4.verify)
add("bcrypt_sha256_v2_default_rounds", "passlib.hash.bcrypt_sha256 (rounds=12)", "bcrypt_sha256",
    bcrypt_sha256.hash(STAPLE), [STAPLE], ["wrong password"], bs4.verify)
add("bcrypt_sha256_v1_2b", "passlib.hash.bcrypt_sha256 version=1 rounds=4", "bcrypt_sha256",
    bcrypt_sha256.using(version=1, rounds=4).hash(STAPLE), [STAPLE], COMMON_WRONG, bs4.verify)
add("bcrypt_sha256_v1_2a", "passlib.hash.bcrypt_sha256 version=1 ident=2a rounds=4",
    "bcrypt_sha256", bcrypt_sha256.using(version=1, ident="2a", rounds=4).hash(LONG),
    [LONG], [LONG[:72]], bs4.verify)

# pbkdf2_sha256
add("pbkdf2_sha256_default", "passlib.hash.pbkdf2_sha256 (rounds=29000)", "pbkdf2_sha256",
    pbkdf2_sha256.hash(STAPLE), [STAPLE], COMMON_WRONG, pbkdf2_sha256.verify)
p1000 = pbkdf2_sha256.using(rounds=1000)
add("pbkdf2_sha256_unicode", "passlib.hash.pbkdf2_sha256 rounds=1000", "pbkdf2_sha256",
    p1000.hash(UNICODE), [UNICODE], [UNICODE_NFD], pbkdf2_sha256.verify)
add("pbkdf2_sha256_long_password", "passlib.hash.pbkdf2_sha256 rounds=1000", "pbkdf2_sha256",
    p1000.hash(LONG), [LONG], [LONG[:72]], pbkdf2_sha256.verify)
add("pbkdf2_sha256_empty_salt", "passlib.hash.pbkdf2_sha256 rounds=1000 salt_size=0",
    "pbkdf2_sha256", pbkdf2_sha256.using(rounds=1000, salt_size=0).hash(STAPLE), [STAPLE],
    ["wrong password"], pbkdf2_sha256.verify)
add("pbkdf2_sha256_odd_salt", "passlib.hash.pbkdf2_sha256 rounds=1000 salt_size=17",
    "pbkdf2_sha256", pbkdf2_sha256.using(rounds=1000, salt_size=17).hash(STAPLE), [STAPLE],
    ["wrong password"], pbkdf2_sha256.verify)

# argon2 (argon2-cffi)
modern = argon2.PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4, hash_len=32,
                               salt_len=16)
add("argon2id_argon2_cffi_rfc9106_defaults",
    "argon2.PasswordHasher(t=3, m=65536, p=4, hash_len=32) (argon2-cffi >= 21.2 defaults)",
    "argon2id", modern.hash(STAPLE), [STAPLE], COMMON_WRONG, argon2_cffi_verify)
add("argon2id_argon2_cffi_debian_defaults",
    f"argon2.PasswordHasher() (argon2-cffi {argon2.__version__}: t=2, m=102400, p=8, hash_len=16)",
    "argon2id", argon2.PasswordHasher().hash(UNICODE), [UNICODE], [UNICODE_NFD, ""],
    argon2_cffi_verify)
add("argon2id_short_password", "argon2.low_level.hash_secret id v=19 t=2 m=256 p=2", "argon2id",
    argon2_low_level("secret", argon2.low_level.Type.ID, 19, 2, 256, 2), ["secret"],
    ["secret ", ""], argon2_cffi_verify)
add("argon2id_long_password", "argon2.low_level.hash_secret id v=19 t=1 m=64 p=1", "argon2id",
    argon2_low_level(LONG, argon2.low_level.Type.ID, 19, 1, 64, 1), [LONG], [LONG[:72]],
    argon2_cffi_verify)
add("argon2i", "argon2.low_level.hash_secret i v=19 t=2 m=256 p=2", "argon2i",
    argon2_low_level(STAPLE, argon2.low_level.Type.I, 19, 2, 256, 2), [STAPLE], COMMON_WRONG,
    argon2_cffi_verify)
add("argon2id_version_16", "argon2.low_level.hash_secret id v=16 t=2 m=256 p=1", "argon2id",
    argon2_low_level(STAPLE, argon2.low_level.Type.ID, 16, 2, 256, 1), [STAPLE], COMMON_WRONG,
    argon2_cffi_verify)
add("argon2id_odd_lengths", "argon2.low_level.hash_secret id t=1 m=64 p=1 salt 8 hash 20",
    "argon2id", argon2_low_level(STAPLE, argon2.low_level.Type.ID, 19, 1, 64, 1, 20, 8), [STAPLE],
    COMMON_WRONG, argon2_cffi_verify)
add("argon2id_passlib", "passlib.hash.argon2 (passlib defaults)", "argon2id",
    passlib_argon2.hash(STAPLE), [STAPLE], COMMON_WRONG, passlib_argon2.verify)

json.dump({
    "generator": "tests/data/password/generate.py (/usr/bin/python3)",
    "versions": {"passlib": passlib.__version__, "argon2-cffi": argon2.__version__,
                 "bcrypt": bcrypt_module.__version__},
    "vectors": vectors,
}, sys.stdout, indent=1, ensure_ascii=True)
sys.stdout.write("\n")
