# Mistake: returns the Figure instead of the Axes, and ignores the ax it was given.
# loses: test_plot_country_shares, test_plot_country_shares__given_axes
import matplotlib.pyplot as plt


def plot_country_shares(shares, ax=None):
    fig, ax = plt.subplots()
    ax.barh(list(shares.index), list(shares.values))
    ax.set_xlabel("share")
    ax.set_title("Shares by country")
    return fig
