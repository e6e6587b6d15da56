# Mistake: plots percentages instead of the shares themselves.
# loses: test_plot_country_shares
import matplotlib.pyplot as plt


def plot_country_shares(shares, ax=None):
    if ax is None:
        _, ax = plt.subplots()
    ax.bar(list(shares.index), list(shares.values * 100))
    ax.set_ylabel("share (%)")
    ax.set_title("Shares by country")
    return ax
