"""`python -m tests.classifier_share`: the entry classifier's part in the answers, set by set.

Every evaluation set asked twice, of the same knowledge: as runbot answers, and with the
classifier never settling a close call (`Thresholds(settle=1.01)`). Not a test: it prints
figures (every set's, the held-out ones too, as `runbot eval` does).
"""

from __future__ import annotations

from bot.answering import Brain
from bot.decision import Thresholds
from bot.evaluation import EVAL_SETS, EvalReport, evaluate, load_cases
from bot.knowledge.load import load_knowledge
from bot.settings import PROJECT_ROOT


def _cells(report: EvalReport) -> str:
    return (
        f"{report.answered_correctly:>4}/{report.in_scope:<4} {report.answered_wrongly:>6} "
        f"{report.correctly_not_answered:>5}/{report.out_of_scope:<4}"
    )


def main() -> None:
    knowledge = load_knowledge(PROJECT_ROOT / "knowledge")
    settling, asking = Brain(knowledge), Brain(knowledge, thresholds=Thresholds(settle=1.01))
    print(f"{'set':<18} {'with the classifier':^26} {'without it':^26}")
    print(
        f"{'':<18} {'right':>9} {'wrong':>6} {'held back':>10} {'right':>9} {'wrong':>6} {'held back':>10}"
    )
    for eval_set in EVAL_SETS:
        if eval_set.screen_only:
            continue
        cases = [
            case
            for path in eval_set.paths(PROJECT_ROOT / "tests" / "eval")
            for case in load_cases(path)
        ]
        print(
            f"{eval_set.name:<18} {_cells(evaluate(settling, cases))}   {_cells(evaluate(asking, cases))}"
        )


if __name__ == "__main__":
    main()
