"""Kata: visualize a labelled text dataset's statistics (seed question 119).

Run the checks with:  pytest --katas plot_dataset_statistics
"""

from __future__ import annotations

from datasets import ClassLabel, Dataset
from matplotlib.figure import Figure
from transformers import PreTrainedTokenizerBase


def plot_dataset_statistics(
    dataset: Dataset,
    tokenizer: PreTrainedTokenizerBase,
    text_column: str = "text",
    label_column: str = "label",
) -> Figure:
    """Draw how many examples each class has and how long its texts are, in tokens.

    Args:
        dataset: a text classification dataset whose label column is a ``datasets.ClassLabel``
            feature (integers in the rows, class names in ``dataset.features``).
        tokenizer: the tokenizer of the model the data is for.
        text_column: the column holding the texts.
        label_column: the column holding the labels.

    Returns:
        A matplotlib Figure with two Axes side by side, each with one bar per class, in the
        ClassLabel's order, the x tick labels being the class names:

        - left: the number of examples of each class (y axis labelled ``"examples"``);
        - right: the mean length of the class's texts in tokens, without the special tokens the
          tokenizer adds (y axis labelled ``"mean length (tokens)"``).

        A class without examples gets bars of height 0. Return the figure: do not show it or
        save it to a file.

    Raises:
        ValueError: if the dataset has no rows, or lacks ``text_column`` or ``label_column``.
        TypeError: if the label column is not a ``ClassLabel`` feature.
    """
    # TODO: count the examples of each class, average their token lengths, draw two bar charts.
    raise NotImplementedError
