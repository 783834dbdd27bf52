module Format
  def self.call(e)
    e.empty? ? '{}' : e.to_json
  end
end
