"""The emotion ceiling of the synthetic labels: how often can the emotion be told from a face's *true* AU
intensities, i.e. by a perfect AU reader? A small MLP trained on label records sampled exactly as the
emotion part (prototype, compound and neutral faces; nothing is rendered), scored on other seeds. If this
were far below the quality targets, the fix would be in faces.py, not in training.

Usage: python3 Training/emotion_ceiling.py [--train 30000] [--test 5000]   (~1 min on 2 cores)
"""
import argparse
import collections

import numpy as np
import torch

import facs
from faces import part_kinds, sample_labels


def label_records(first_seed, n):
    # The emotion part's kind mix; seeds far from every rendered part.
    kinds = part_kinds(np.random.default_rng(first_seed + 17), "emotion", n)
    features, emotions = [], []
    for i, kind in enumerate(kinds):
        emotion, aus, unilateral = sample_labels(np.random.default_rng(first_seed + i), kind)
        features.append([aus.get(au, 0.0) for au in facs.RENDERED_AUS] + [abs(unilateral)])
        emotions.append(emotion)
    return torch.tensor(features, dtype=torch.float32), emotions


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=int, default=30000)
    ap.add_argument("--test", type=int, default=5000)
    ap.add_argument("--epochs", type=int, default=60)
    args = ap.parse_args()
    torch.manual_seed(0)
    x_train, y_train = label_records(1_000_000, args.train)
    x_test, y_test = label_records(2_000_000, args.test)
    names = sorted(set(y_train))
    target = torch.tensor([names.index(e) for e in y_train])
    net = torch.nn.Sequential(torch.nn.Linear(x_train.shape[1], 128), torch.nn.ReLU(),
                              torch.nn.Linear(128, 128), torch.nn.ReLU(), torch.nn.Linear(128, len(names)))
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    for _ in range(args.epochs):
        for batch in torch.randperm(len(x_train)).split(256):
            loss = torch.nn.functional.cross_entropy(net(x_train[batch]), target[batch])
            opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        predicted = [names[i] for i in net(x_test).argmax(1).tolist()]
    accuracy = np.mean([p == t for p, t in zip(predicted, y_test)])
    print(f"emotion named from the true AU intensities: {accuracy:.1%} of {args.test} faces")
    for (truth, guess), count in collections.Counter((t, p) for p, t in zip(predicted, y_test) if p != t).most_common(8):
        print(f"  {truth:>22} -> {guess:<22} {count}")


if __name__ == "__main__":
    main()
