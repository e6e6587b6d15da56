# Mistake: always draws on a new figure, ignoring the Axes it was given.
# loses: test_plot_country_shares__given_axes
import matplotlib.pyplot as plt


def plot_country_shares(shares, ax=None):
    _, ax = plt.subplots()
    ax.barh(list(shares.index), list(shares.values))
    ax.invert_yaxis()
    ax.set_xlabel("share of papers")
    ax.set_title("Share of papers by country")
    return ax
