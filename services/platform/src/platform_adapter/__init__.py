"""粤平安平台适配: the Yue-Pingan platform adapter: sync without double entry."""
