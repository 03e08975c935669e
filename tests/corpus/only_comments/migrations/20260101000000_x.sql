-- TODO write this

-- later
