#!/usr/bin/python3
"""Time OpenCredit's explainable boosting model against XGBoost on the same folds, in one run.

Usage: /usr/bin/python3 bench/ebm_vs_xgboost.py CSV TARGET [--drop col,col] [--repeat N] [--native-missing]

Runs `opencredit bench train --model ebm` (the binary in $OPENCREDIT, else `go run ./cmd/opencredit`
from the repository root), then fits XGBoost with the settings of the peer script
(shared/bench/peers.py: 400 trees, depth 4, learning rate 0.05, subsample and colsample 0.8, hist,
2 threads) on the training rows of the same five folds (row i is in fold i % 5). Only the fits are
timed, on both sides: not reading the file, not one-hot encoding, not scoring. Each side runs
--repeat times (3) and the median counts. Prints both, their mean AUCs, and the ratio
EBM / XGBoost (the goal is <= 1.0). Columns in --drop are protected attributes: the EBM gets them
as --audit (kept out of the model), XGBoost does not get them. --native-missing leaves a missing
number missing for XGBoost (its own default direction per split) instead of the peer script's
training-median fill, to see what the fill costs XGBoost on data whose missing values tell.
Needs Debian's python3-xgboost, python3-sklearn and python3-pandas."""
import json, os, shlex, statistics, subprocess, sys, time

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.metrics import roc_auc_score

args = sys.argv[1:]
if len(args) < 2:
    sys.exit(__doc__)
path, target = args[0], args[1]
drop = args[args.index('--drop') + 1].split(',') if '--drop' in args else []
repeat = int(args[args.index('--repeat') + 1]) if '--repeat' in args else 3
native_missing = '--native-missing' in args

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = shlex.split(os.environ.get('OPENCREDIT', 'go run ./cmd/opencredit'))
cmd = binary + ['bench', 'train', '--model', 'ebm', '--data', os.path.abspath(path), '--target', target,
                '--repeat', str(repeat), '--json']
if drop:
    cmd += ['--audit', ','.join(drop)]
ebm = json.loads(subprocess.run(cmd, cwd=root, check=True, capture_output=True, text=True).stdout)

# XGBoost exactly as the peer script prepares and fits it (but for --native-missing).
df = pd.read_csv(path)
y = df[target].values.astype(int)
X = df.drop(columns=[target] + [c for c in drop if c in df.columns])
if 'id' in X.columns:
    X = X.drop(columns=['id'])
cat = [c for c in X.columns if X[c].dtype == object]
fold = np.arange(len(df)) % 5

def onehot(Xtr, Xte):
    a = pd.get_dummies(pd.concat([Xtr, Xte]), columns=cat, dummy_na=True).astype(float)
    if not native_missing:
        a = a.fillna(a.iloc[:len(Xtr)].median())
    return a.iloc[:len(Xtr)].values, a.iloc[len(Xtr):].values

folds = []
for k in range(5):
    tr, te = fold != k, fold == k
    a, b = onehot(X[tr].reset_index(drop=True), X[te].reset_index(drop=True))
    folds.append((a, y[tr], b, y[te]))

runs, aucs = [], []
for r in range(repeat):
    total, aucs = 0.0, []
    for a, ytr, b, yte in folds:
        m = xgb.XGBClassifier(n_estimators=400, learning_rate=0.05, max_depth=4, subsample=0.8,
                              colsample_bytree=0.8, tree_method='hist', n_jobs=2)
        t0 = time.perf_counter()
        m.fit(a, ytr)
        total += time.perf_counter() - t0
        aucs.append(roc_auc_score(yte, m.predict_proba(b)[:, 1]))
    runs.append(total)
xgb_s = statistics.median(runs)

print(f"# {path}: {len(df)} rows, 5 folds, fit time summed over the folds, median of {repeat} runs")
print(f"ebm      {ebm['seconds']:7.3f} s   mean AUC {ebm['mean_auc']:.4f}   runs {[round(x, 3) for x in ebm['run_seconds']]}")
print(f"xgboost{' (native missing)' if native_missing else ''}  {xgb_s:7.3f} s   mean AUC {np.mean(aucs):.4f}   runs {[round(x, 3) for x in runs]}")
print(f"ratio ebm/xgboost {ebm['seconds'] / xgb_s:.2f}  (goal <= 1.0)")
