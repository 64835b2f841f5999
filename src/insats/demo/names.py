"""Invented Swedish names, streets and companies for the demo department.

Every person in the demo is fictional: names are drawn at random from common Swedish
first and family names, so any likeness to a real person is a coincidence.
"""

from __future__ import annotations

import random

FEMALE_NAMES: tuple[str, ...] = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kerstin", "Ingrid", "Marie",
    "Malin", "Jenny", "Hanna", "Linda", "Annika", "Susanne", "Elin", "Johanna", "Sofia",
    "Camilla", "Ida", "Julia", "Ulla", "Helena", "Therese", "Amanda", "Frida", "Lisa",
    "Monica", "Åsa", "Elsa", "Alva", "Maja", "Ebba", "Wilma", "Saga", "Agnes", "Linnea",
    "Fatima", "Amira", "Leila", "Nadia", "Aisha", "Yasmin", "Mirja", "Sanna", "Tove",
)
MALE_NAMES: tuple[str, ...] = (
    "Lars", "Mikael", "Anders", "Johan", "Per", "Erik", "Karl", "Peter", "Thomas", "Jan",
    "Daniel", "Fredrik", "Hans", "Andreas", "Stefan", "Mats", "Magnus", "Mattias", "Jonas",
    "Niklas", "Martin", "Björn", "Oskar", "Viktor", "Emil", "Hugo", "Elias", "Liam",
    "Noah", "William", "Axel", "Lucas", "Adam", "Filip", "Isak", "Omar", "Ali", "Ahmed",
    "Yusuf", "Kenneth", "Roger", "Göran", "Leif", "Tobias", "Sebastian", "Rasmus",
)
FAMILY_NAMES: tuple[str, ...] = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
    "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Olofsson",
    "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg", "Lind",
    "Lundgren", "Lundqvist", "Mattsson", "Berglund", "Fredriksson", "Sandberg", "Henriksson",
    "Forsberg", "Sjöberg", "Wallin", "Engström", "Eklund", "Danielsson", "Håkansson",
    "Lundin", "Björk", "Bergman", "Gunnarsson", "Holm", "Wikström", "Samuelsson",
    "Isaksson", "Fransson", "Bergqvist", "Nyström", "Holmberg", "Arvidsson", "Löfgren",
    "Söderberg", "Nyberg", "Blomqvist", "Claesson", "Hassan", "Mohammed", "Ali", "Yilmaz",
    "Nordin", "Strand", "Ekström", "Hedlund", "Dahl", "Sundberg",
)
STREETS: tuple[str, ...] = (
    "Kungsgatan", "Drottninggatan", "Stora Torget", "Lilla Torget", "Bryggaregatan",
    "Säterigatan", "Noltorpsvägen", "Nolhagavägen", "Sveagatan", "Göteborgsvägen",
    "Stadsskogsvägen", "Ängabovägen", "Kullingsvägen", "Mjörnvägen", "Hemsjövägen",
    "Sollebrunnsvägen", "Gräfsnäsvägen", "Lövekullevägen", "Bjärkevägen", "Ingaredsvägen",
    "Prästgårdsgatan", "Södra Ringgatan", "Norra Ringgatan", "Västra Ringgatan",
    "Östra Ringgatan", "Plantagegatan", "Vänersborgsvägen", "Kavlåsvägen", "Tuvevägen",
    "Eriksbergsvägen", "Holmvägen", "Ljungvägen", "Björkvägen", "Tallvägen", "Granvägen",
)
POSTCODES: tuple[str, ...] = ("441 30", "441 31", "441 33", "441 36", "441 39", "441 42",
                              "441 50", "441 55", "441 60", "441 65", "441 91", "441 95")


def person_name(rng: random.Random, *, female: bool | None = None) -> tuple[str, str]:
    """A (given name, family name) pair; ``female`` None picks either at random."""
    is_female = rng.random() < 0.5 if female is None else female
    given = rng.choice(FEMALE_NAMES if is_female else MALE_NAMES)
    return given, rng.choice(FAMILY_NAMES)


def street_address(rng: random.Random) -> str:
    """An invented address in Alingsås."""
    number = rng.randint(1, 60)
    letter = rng.choice(("", "", "", "A", "B"))
    return f"{rng.choice(STREETS)} {number}{letter}, {rng.choice(POSTCODES)} Alingsås"
