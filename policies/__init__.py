"""Technology-transfer support policies (技术转移扶持政策): rules, eligibility, approval."""
