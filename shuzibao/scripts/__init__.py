"""The scripts the edition is published in: OpenCC conversion of the model, and the site's own words."""
