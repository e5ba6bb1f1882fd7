"""The covering array is computed from copier.yml and covers what it must."""

from __future__ import annotations

from matrix import allowed_pairs, covered_pairs, covering_array, is_allowed

from bastion.questions import Choice, Question, Questionnaire


def test_every_choice_of_every_question_is_rendered(questionnaire: Questionnaire) -> None:
    rows = covering_array(questionnaire)
    for question in questionnaire.askable:
        for value in question.values:
            assert any(row.get(question.name) == value for row in rows), (question.name, value)


def test_every_allowed_pair_is_covered(questionnaire: Questionnaire) -> None:
    rows = covering_array(questionnaire)
    assert allowed_pairs(questionnaire) <= covered_pairs(rows)
    assert all(is_allowed(questionnaire, row) for row in rows)


def _synthetic() -> Questionnaire:
    rule = "{% if tenancy == 'row_rls' %}tenancy=row_rls needs database=postgresql{% endif %}"
    return Questionnaire(
        questions=(
            Question(
                "framework",
                choices=(Choice("fastapi", "f"), Choice("litestar", "l"), Choice("flask", "k")),
            ),
            Question(
                "tenancy",
                choices=(Choice("none", "n"), Choice("row", "r"), Choice("row_rls", "rr")),
            ),
            Question("database", choices=(Choice("sqlite", "s", rule), Choice("postgresql", "p"))),
            Question(
                "password_hash",
                when="{{ framework != 'flask' }}",
                choices=(Choice("argon2id", "a"), Choice("bcrypt", "b")),
            ),
            Question("ci", choices=(Choice("github", "g"), Choice("gitlab", "gl"))),
        )
    )


def test_the_array_respects_constraints_and_grows_with_choices() -> None:
    questionnaire = _synthetic()
    rows = covering_array(questionnaire)
    assert all(is_allowed(questionnaire, row) for row in rows)
    assert not any(row["tenancy"] == "row_rls" and row["database"] == "sqlite" for row in rows)
    assert allowed_pairs(questionnaire) <= covered_pairs(rows)
    assert all("password_hash" not in row for row in rows if row["framework"] == "flask")
    assert len(rows) < 3 * 3 * 2 * 2 * 2, "pairwise, not the full product"
