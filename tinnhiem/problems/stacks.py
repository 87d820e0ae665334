"""Problems of independent entries: stacks, their passes and the board's decisions (K)."""

from __future__ import annotations

from tinnhiem.problems.core import _define

# fmt: off
STACKS_WITH_COUNTED = _define("K01", "stacks", "tệp có stacks cùng với {other}; khi nhập theo xấp, mọi phiếu ghi trong stacks.")
STACK_ID_EMPTY = _define("K02", "stacks[{number}].id", "nhãn xấp đang trống; ghi nhãn như trên phiếu bìa (vd. “Xấp 3”).")
STACK_ID_TWICE = _define("K03", "stacks[{number}].id", "nhãn “{id}” đã dùng cho xấp thứ {first}; mỗi xấp một nhãn riêng.")
STACK_NO_PASSES = _define("K04", "stacks[{number}].passes", "xấp “{id}” chưa có lần nhập nào; cần ít nhất một lần nhập.")
PASSES_REQUIRED = _define("K05", "passes_required", "phải là 1, 2 hoặc 3 (số lần nhập độc lập mỗi xấp), không phải {value}.")
STACK_OVER_COLLECTED = _define("K06", "{field}", "xấp “{id}”, {what} có {count} phiếu, nhiều hơn số phiếu thu về ({collected}).")
COUNTED_OVER_COLLECTED = _define("K07", "stacks", "các xấp được tính (đã khớp hoặc đã quyết định) có {count} phiếu, nhiều hơn số phiếu thu về ({collected}).")
STACK_TOO_LARGE = _define("K08", "{field}", "xấp “{id}”, {what} có {count} phiếu, quá {limit} phiếu; chia thành các xấp nhỏ hơn.")
STACKS_NOT_IN_APP = _define("K09", "stacks", "ứng dụng chỉ lưu cuộc kiểm phiếu nhập theo xấp khi mỗi xấp nhập 2 hoặc 3 lần (passes_required); dùng “tinnhiem tally” để xem kết quả của tệp này, hoặc nhập tệp có entries hay totals.")
