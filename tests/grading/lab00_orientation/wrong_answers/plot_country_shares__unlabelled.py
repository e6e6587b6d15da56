# Mistake: draws the right bars but gives the chart no title and no axis label.
# loses: test_plot_country_shares__labels
import matplotlib.pyplot as plt


def plot_country_shares(shares, ax=None):
    if ax is None:
        _, ax = plt.subplots()
    ax.barh(list(shares.index), list(shares.values))
    return ax
