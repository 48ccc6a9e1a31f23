"""Rewards to the people behind a result (促进科技成果转化法 Art. 45): inventors' shares, an
institution's reward policy, each deal's net income and reward pool, inventors' statements."""
