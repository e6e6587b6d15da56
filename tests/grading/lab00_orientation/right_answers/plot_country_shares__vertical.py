# Correct: vertical bars on a new figure, with the label on the y axis.
import matplotlib.pyplot as plt


def plot_country_shares(shares, ax=None):
    ax = ax if ax is not None else plt.figure(figsize=(8, 4)).add_subplot()
    ax.bar(shares.index.tolist(), shares.to_numpy(), color="#E69F00")
    ax.set_ylabel("Share of papers")
    ax.set_title("Who publishes creative AI?")
    ax.tick_params(axis="x", rotation=45)
    return ax
