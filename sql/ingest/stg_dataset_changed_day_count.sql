select count(*) as days_replaced
from dataset_changed_days
