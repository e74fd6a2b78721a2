"""What every part of the demo generator shares: the name lists, "now", and the vectorised cell formatters."""

from __future__ import annotations

import numpy as np

DAY = 86_400

FIRST = np.array("""Ada Alan Alice Amir Ana Anna Ben Bianca Carla Chen Chloe Daniel David Diego Elena Emma Eva
Fatima Felix Grace Hana Hugo Ines Isaac Ivan Jade Jamal Jana Jonas Julia Kai Karim Lea Leo Lina Lucas Luis Maya
Mei Mia Mohamed Nadia Nina Noah Olga Omar Paul Priya Rafael Rosa Sam Sara Sofia Tariq Theo Tom Uma Victor Yara
Yuki Zoe""".split())
LAST = np.array("""Abbott Adams Ahmed Alvarez Bauer Becker Bianchi Brown Chen Costa Das Dubois Evans Fischer
Garcia Gomez Green Haddad Hansen Ito Jansen Johnson Kaur Khan Kim Kowalski Larsen Laurent Lee Lopez Martin Meyer
Moreau Muller Nakamura Nguyen Novak Okafor Olsen Patel Perez Petrov Rossi Santos Schmidt Silva Singh Smith
Tanaka Taylor Torres Wagner Walker Wang Weber Wilson Yilmaz Young Zhang""".split())
DIVISIONS = ["Sales", "Operations", "Engineering", "Customer Success", "Finance & HR"]
REGIONS = ["North", "South", "East", "West"]
TOPICS = ["Onboarding", "Leadership", "Negotiation", "Data Literacy", "Cyber Security", "Compliance",
          "Product Fundamentals", "Customer Empathy", "Project Management", "Coaching Skills",
          "Safety First", "Agile Practices", "Presentation Skills", "Financial Acumen", "Inclusive Hiring",
          "Time Management", "Conflict Resolution", "Writing for Work", "Cloud Basics", "Sales Discovery"]
TAGS = ["communication", "leadership", "security", "compliance", "product", "data", "sales", "safety",
        "management", "finance"]
PROGRAMS = ["New Manager Journey", "Sales Academy", "Security Champions", "Customer Excellence",
            "Operational Safety", "Data Driven Teams", "Leadership Academy", "Graduate Program",
            "Compliance Essentials", "Agile Transformation", "Finance for Non-Finance", "Coaching Circle"]
PATHS = ["Certified Team Lead", "Security Foundations", "Customer Success Path"]
LANGS = np.array(["en", "en", "en", "fr", "de", "es"])
LOCATIONS = np.array(["Paris", "Berlin", "London", "Madrid", "Remote", "Lyon", "Munich"], dtype=object)
CONTRACTS = np.array(["Permanent", "Permanent", "Permanent", "Fixed-term", "Contractor"], dtype=object)
TITLES = np.array(["Associate", "Specialist", "Analyst", "Engineer", "Consultant", "Team Lead", "Manager",
                   "Coordinator", ""], dtype=object)


def ts(seconds) -> np.ndarray:
    """Epoch seconds (float, NaN = empty) to ISO 8601 strings with Z; '' where empty."""
    arr = np.asarray(seconds, dtype="float64")
    out = np.full(arr.shape, "", dtype=object)
    ok = ~np.isnan(arr)
    if ok.any():
        out[ok] = np.datetime_as_string(arr[ok].astype("int64").astype("datetime64[s]"), unit="s",
                                        timezone="UTC")
    return out


def ids(prefix: str, n: int, start: int = 1, width: int | None = None) -> np.ndarray:
    """prefix + the numbers start … start+n-1, zero-padded to `width` digits (at least 5); none when n is 0."""
    if n == 0:  # numpy's zfill cannot size an empty array
        return np.array([], dtype=object)
    width = width or max(5, len(str(n + start)))
    return np.char.add(prefix, np.char.zfill(np.arange(start, start + n).astype(str), width)).astype(object)


def num(values, decimals=1) -> np.ndarray:
    arr = np.round(np.asarray(values, dtype="float64"), decimals)
    out = np.full(arr.shape, "", dtype=object)
    ok = ~np.isnan(arr)
    if decimals == 0:
        out[ok] = arr[ok].astype("int64").astype(str)
    else:
        out[ok] = np.char.mod("%g", arr[ok])
    return out


def names(pairs: np.ndarray, numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first and last names of the users numbered `numbers`: user N takes pair N of `pairs`, a shuffled list
    of every FIRST x LAST pair (world), so no two users share a full name until all 3,599 pairs are taken."""
    pair = pairs[(numbers - 1) % len(pairs)]
    return FIRST[pair // len(LAST)], LAST[pair % len(LAST)]


def emails(first: np.ndarray, last: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """first.last.N@acme.example, N the user's number (so unique)."""
    name = np.char.add(np.char.add(np.char.lower(first.astype(str)), "."), np.char.lower(last.astype(str)))
    return np.char.add(name, np.char.add(np.char.add(".", numbers.astype(str)), "@acme.example")).astype(object)
